//! Every gene the GA produces is valid, over random spaces and settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use tunekit_core::ga::{
    crossover_pair, initial_population, mutate_point, propose_generation, Crossover, Direction,
    DiscreteCrossover, FloatCrossover, GaParams, GenerationRequest, Individual, Init, Mutation,
    Selection,
};
use tunekit_core::random::FastRng;
use tunekit_core::space::{Domain, Param, Space};

fn domain() -> impl Strategy<Value = Domain> {
    prop_oneof![
        (-1e3f64..1e3, 1e-3f64..1e3).prop_map(|(low, w)| Domain::Float {
            low,
            high: low + w,
            log: false,
            step: None
        }),
        (1e-6f64..1e2, 1.001f64..1e5).prop_map(|(low, r)| Domain::Float {
            low,
            high: low * r,
            log: true,
            step: None
        }),
        (
            -100f64..100.0,
            prop_oneof![Just(0.1), Just(0.25), Just(1.0), 1e-3f64..10.0],
            1u32..40
        )
            .prop_map(|(low, step, k)| Domain::Float {
                low,
                high: low + step * f64::from(k),
                log: false,
                step: Some(step)
            }),
        (-1000i64..1000, 1i64..20, 1i64..30).prop_map(|(low, step, k)| Domain::Int {
            low,
            high: low + step * k,
            log: false,
            step
        }),
        (1i64..1000, 1i64..100_000).prop_map(|(low, w)| Domain::Int {
            low,
            high: low + w,
            log: true,
            step: 1
        }),
        (1usize..8).prop_map(|n_choices| Domain::Categorical { n_choices }),
    ]
}

fn space() -> impl Strategy<Value = Space> {
    proptest::collection::vec(domain(), 1..8).prop_filter_map("valid space", |ds| {
        Space::new(
            ds.into_iter()
                .enumerate()
                .map(|(i, domain)| Param {
                    name: format!("p{i}"),
                    domain,
                })
                .collect(),
        )
        .ok()
    })
}

fn crossover() -> impl Strategy<Value = Crossover> {
    let float = prop_oneof![
        (0.0f64..40.0).prop_map(|eta| FloatCrossover::Sbx { eta }),
        Just(FloatCrossover::Uniform),
        (0.0f64..1.0).prop_map(|alpha| FloatCrossover::Blend { alpha }),
    ];
    let discrete = prop_oneof![
        Just(DiscreteCrossover::OnePoint),
        Just(DiscreteCrossover::TwoPoint),
        Just(DiscreteCrossover::Uniform)
    ];
    (float, discrete, any::<bool>()).prop_map(|(float, discrete, ints_as_floats)| Crossover {
        float,
        discrete,
        ints_as_floats,
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0f64..100.0).prop_map(|eta| Mutation::Polynomial { eta }),
        (1e-3f64..2.0).prop_map(|sigma| Mutation::Gaussian { sigma }),
        Just(Mutation::UniformReset),
    ]
}

fn init() -> impl Strategy<Value = Init> {
    prop_oneof![
        Just(Init::Uniform),
        Just(Init::LatinHypercube),
        Just(Init::Sobol)
    ]
}

fn params() -> impl Strategy<Value = GaParams> {
    (
        2usize..30,
        crossover(),
        0.0f64..=1.0,
        mutation(),
        proptest::option::of(0.0f64..=1.0),
        any::<u64>(),
        init(),
        any::<bool>(),
        0u8..3,
    )
        .prop_flat_map(
            |(
                pop,
                crossover,
                crossover_prob,
                mutation,
                mutation_prob,
                seed,
                init,
                avoid_duplicates,
                sel,
            )| {
                let selection = match sel {
                    0 => (1..=pop)
                        .prop_map(|size| Selection::Tournament { size })
                        .boxed(),
                    1 => (1.0f64..=2.0)
                        .prop_map(|pressure| Selection::Rank { pressure })
                        .boxed(),
                    _ => Just(Selection::Roulette).boxed(),
                };
                (selection, 0..pop).prop_map(move |(selection, elitism)| GaParams {
                    population_size: pop,
                    selection,
                    crossover,
                    crossover_prob,
                    mutation,
                    mutation_prob,
                    elitism,
                    avoid_duplicates,
                    seed,
                    init,
                })
            },
        )
}

/// Objective values with the odd NaN and ±∞.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![10 => -1e3f64..1e3, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY), 1 => Just(f64::NEG_INFINITY)]
}

fn check_all(space: &Space, points: &[Vec<f64>]) -> Result<(), TestCaseError> {
    for p in points {
        if let Err(e) = space.check_point(p) {
            return Err(TestCaseError::fail(format!("{e}: {p:?}")));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn initial_populations_are_valid(space in space(), init in init(), n in 0usize..70, seed in any::<u64>()) {
        let pop = initial_population(&space, init, n, seed).unwrap();
        prop_assert_eq!(pop.len(), n);
        check_all(&space, &pop)?;
    }

    #[test]
    fn crossover_and_mutation_keep_genes_valid(
        space in space(), op in crossover(), m in mutation(), prob in proptest::option::of(0.0f64..=1.0), seed in any::<u64>()
    ) {
        let pop = initial_population(&space, Init::Uniform, 6, seed).unwrap();
        let mut rng = FastRng::new(seed);
        for pair in pop.chunks(2) {
            let (a, b) = crossover_pair(&space, &op, &pair[0], &pair[1], &mut rng).unwrap();
            check_all(&space, &[a.clone(), b.clone()])?;
            let a = mutate_point(&space, m, Some(1.0), &a, &mut rng).unwrap();
            let b = mutate_point(&space, m, prob, &b, &mut rng).unwrap();
            check_all(&space, &[a, b])?;
        }
        // at the bounds too
        let low: Vec<f64> = space.params().iter().map(|p| p.domain.decode(0.0)).collect();
        let high: Vec<f64> = space.params().iter().map(|p| match p.domain {
            Domain::Categorical { n_choices } => (n_choices - 1) as f64,
            ref d => d.decode(1.0),
        }).collect();
        let (a, b) = crossover_pair(&space, &op, &low, &high, &mut rng).unwrap();
        check_all(&space, &[a.clone(), b.clone()])?;
        check_all(&space, &[mutate_point(&space, m, Some(1.0), &a, &mut rng).unwrap(), mutate_point(&space, m, Some(1.0), &b, &mut rng).unwrap()])?;
    }

    #[test]
    fn proposed_generations_are_valid(
        space in space(),
        params in params(),
        objectives in 1usize..4,
        evaluated in 0usize..60,
        n in 0usize..50,
        generation in any::<u64>(),
        values in proptest::collection::vec(value(), 240),
        violations in proptest::collection::vec(prop_oneof![3 => Just(0.0), 1 => 0.0f64..5.0, 1 => Just(f64::INFINITY)], 60),
    ) {
        let points = initial_population(&space, Init::Uniform, evaluated, generation).unwrap();
        let directions: Vec<Direction> = (0..objectives).map(|k| if k % 2 == 0 { Direction::Minimize } else { Direction::Maximize }).collect();
        let evaluated: Vec<Individual> = points.into_iter().enumerate().map(|(i, point)| Individual {
            point,
            values: values[i * objectives..(i + 1) * objectives].to_vec(),
            violation: violations[i],
        }).collect();
        let req = GenerationRequest { space: space.clone(), params, directions, evaluated, generation, n };
        let children = propose_generation(&req).unwrap();
        prop_assert_eq!(children.len(), n);
        check_all(&space, &children)?;
        // and the next generation, bred from these children
        let mut next = req.clone();
        next.generation = generation.wrapping_add(1);
        next.evaluated.extend(children.into_iter().enumerate().map(|(i, point)| Individual {
            point, values: values[(i % 60) * objectives..(i % 60 + 1) * objectives].to_vec(), violation: 0.0,
        }));
        check_all(&space, &propose_generation(&next).unwrap())?;
    }
}
