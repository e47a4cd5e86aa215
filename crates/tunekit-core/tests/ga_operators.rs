//! Operators behave as published: SBX, polynomial, Gaussian and blend
//! distributions; discrete exchange; selection frequencies; elitism;
//! feasibility rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use tunekit_core::ga::{
    crossover_pair, mutate_point, parent_population, problems, propose_generation, run, Crossover,
    Direction, DiscreteCrossover, FloatCrossover, GaParams, GenerationRequest, Individual,
    Mutation, Selection,
};
use tunekit_core::random::FastRng;
use tunekit_core::space::{Domain, Param, Space};

fn float(low: f64, high: f64, log: bool) -> Domain {
    Domain::Float {
        low,
        high,
        log,
        step: None,
    }
}

fn space(domains: Vec<Domain>) -> Space {
    Space::new(
        domains
            .into_iter()
            .enumerate()
            .map(|(i, domain)| Param {
                name: format!("p{i}"),
                domain,
            })
            .collect(),
    )
    .unwrap()
}

fn sbx(eta: f64) -> Crossover {
    Crossover {
        float: FloatCrossover::Sbx { eta },
        ..Default::default()
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn std(xs: &[f64]) -> f64 {
    let m = mean(xs);
    (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64).sqrt()
}

#[test]
fn sbx_preserves_the_mean_and_has_the_published_spread() {
    // far from the bounds, SBX is the unbounded operator: c1 + c2 = p1 + p2 and the
    // spread β = |c2 − c1| / |p2 − p1| has P(β ≤ b) = b^(η+1)/2 (b ≤ 1), 1 − b^−(η+1)/2 (b ≥ 1)
    let s = space(vec![float(-1000.0, 1000.0, false)]);
    let eta = 2.0;
    let mut rng = FastRng::new(1);
    let (p1, p2) = (0.3, 0.6);
    let mut betas = Vec::new();
    let mut children = Vec::new();
    for _ in 0..100_000 {
        let (a, b) = crossover_pair(&s, &sbx(eta), &[p1], &[p2], &mut rng).unwrap();
        assert!(((a[0] + b[0]) - (p1 + p2)).abs() < 1e-9, "{a:?} {b:?}");
        children.push(a[0]);
        children.push(b[0]);
        if (a[0] - p1).abs() > 1e-12 && (a[0] - p2).abs() > 1e-12 {
            betas.push((b[0] - a[0]).abs() / (p2 - p1));
        }
    }
    // each gene is crossed with probability 1/2
    let crossed = betas.len() as f64 / 100_000.0;
    assert!((crossed - 0.5).abs() < 0.01, "{crossed}");
    let frac = |pred: &dyn Fn(f64) -> bool| {
        betas.iter().filter(|&&b| pred(b)).count() as f64 / betas.len() as f64
    };
    assert!((frac(&|b| b <= 1.0) - 0.5).abs() < 0.01);
    assert!((frac(&|b| b <= 0.5) - 0.5 * 0.5f64.powf(eta + 1.0)).abs() < 0.005);
    assert!((frac(&|b| b > 2.0) - 0.5 * 2f64.powf(-(eta + 1.0))).abs() < 0.005);
    assert!((mean(&children) - 0.45).abs() < 1e-9);
    // children stay in bounds near a bound, and a larger η keeps them nearer the parents
    let s = space(vec![float(0.0, 1.0, false)]);
    let spread = |eta: f64, rng: &mut FastRng| {
        (0..20_000)
            .map(|_| {
                let (a, b) = crossover_pair(&s, &sbx(eta), &[0.01], &[0.2], rng).unwrap();
                assert!((0.0..=1.0).contains(&a[0]) && (0.0..=1.0).contains(&b[0]));
                (a[0] - 0.01).abs().min((a[0] - 0.2).abs())
            })
            .sum::<f64>()
    };
    assert!(spread(30.0, &mut rng) < 0.5 * spread(2.0, &mut rng));
}

#[test]
fn sbx_works_in_log_space_for_log_parameters() {
    // the geometric mean of the children is the parents' one
    let s = space(vec![float(1e-5, 1e-1, true)]);
    let mut rng = FastRng::new(2);
    for _ in 0..1000 {
        let (a, b) = crossover_pair(&s, &sbx(5.0), &[1e-4], &[1e-2], &mut rng).unwrap();
        assert!(
            ((a[0] * b[0]).sqrt() / 1e-3 - 1.0).abs() < 1e-6,
            "{a:?} {b:?}"
        );
    }
}

#[test]
fn blend_spreads_children_around_the_parents() {
    let s = space(vec![float(-100.0, 100.0, false)]);
    let op = Crossover {
        float: FloatCrossover::Blend { alpha: 0.5 },
        ..Default::default()
    };
    let mut rng = FastRng::new(3);
    let xs: Vec<f64> = (0..50_000)
        .flat_map(|_| {
            let (a, b) = crossover_pair(&s, &op, &[1.0], &[3.0], &mut rng).unwrap();
            [a[0], b[0]]
        })
        .collect();
    // uniform on [1 − 1, 3 + 1]: mean 2, sd 4/√12
    assert!(xs.iter().all(|&x| (0.0 - 1e-9..=4.0 + 1e-9).contains(&x)));
    assert!((mean(&xs) - 2.0).abs() < 0.02);
    assert!((std(&xs) - 4.0 / 12f64.sqrt()).abs() < 0.02);
}

#[test]
fn polynomial_mutation_has_the_published_distribution() {
    // at the middle of [0, 1], with a = 2^−(η+1) and p = 1/(η+1), the bounded
    // operator's δ = (2u + (1 − 2u)a)^p − 1 (u < ½, mirrored above) has
    // E|δ| = 1 − (1 − a^(p+1)) / ((p+1)(1 − a)) → 1/(η+2) (the unbounded one) for large η
    let s = space(vec![float(0.0, 1.0, false)]);
    let mut rng = FastRng::new(4);
    for eta in [5.0, 20.0] {
        let d: Vec<f64> = (0..200_000)
            .map(|_| {
                mutate_point(
                    &s,
                    Mutation::Polynomial { eta },
                    Some(1.0),
                    &[0.5],
                    &mut rng,
                )
                .unwrap()[0]
                    - 0.5
            })
            .collect();
        let abs: Vec<f64> = d.iter().map(|x| x.abs()).collect();
        let (a, p) = (0.5f64.powf(eta + 1.0), 1.0 / (eta + 1.0));
        let expected = 1.0 - (1.0 - a.powf(p + 1.0)) / ((p + 1.0) * (1.0 - a));
        assert!(
            (mean(&abs) - expected).abs() < 0.0007,
            "η={eta}: {} vs {expected}",
            mean(&abs)
        );
        assert!(mean(&d).abs() < 0.001);
    }
    // near a bound it stays inside, and both directions remain possible
    let xs: Vec<f64> = (0..20_000)
        .map(|_| {
            mutate_point(
                &s,
                Mutation::Polynomial { eta: 20.0 },
                Some(1.0),
                &[0.001],
                &mut rng,
            )
            .unwrap()[0]
        })
        .collect();
    assert!(xs.iter().all(|&x| (0.0..=1.0).contains(&x)));
    assert!(xs.iter().any(|&x| x < 0.001) && xs.iter().any(|&x| x > 0.001));
}

#[test]
fn gaussian_sigma_is_relative_to_the_range_in_the_scale_of_the_parameter() {
    let mut rng = FastRng::new(5);
    let s = space(vec![float(0.0, 10.0, false)]);
    let xs: Vec<f64> = (0..50_000)
        .map(|_| {
            mutate_point(
                &s,
                Mutation::Gaussian { sigma: 0.05 },
                Some(1.0),
                &[5.0],
                &mut rng,
            )
            .unwrap()[0]
        })
        .collect();
    assert!((std(&xs) - 0.5).abs() < 0.01 && (mean(&xs) - 5.0).abs() < 0.01);
    // log scale: the standard deviation of ln x is sigma · ln(high / low)
    let s = space(vec![float(1e-4, 1.0, true)]);
    let ln: Vec<f64> = (0..50_000)
        .map(|_| {
            mutate_point(
                &s,
                Mutation::Gaussian { sigma: 0.05 },
                Some(1.0),
                &[1e-2],
                &mut rng,
            )
            .unwrap()[0]
                .ln()
        })
        .collect();
    assert!((std(&ln) - 0.05 * 1e4f64.ln()).abs() < 0.01, "{}", std(&ln));
    // uniform reset covers the range uniformly
    let s = space(vec![float(0.0, 1.0, false)]);
    let xs: Vec<f64> = (0..50_000)
        .map(|_| mutate_point(&s, Mutation::UniformReset, Some(1.0), &[0.9], &mut rng).unwrap()[0])
        .collect();
    assert!((mean(&xs) - 0.5).abs() < 0.01 && (std(&xs) - 12f64.sqrt().recip()).abs() < 0.01);
}

#[test]
fn integer_and_categorical_mutations_always_change_the_gene() {
    let s = space(vec![
        Domain::Int {
            low: 0,
            high: 100,
            log: false,
            step: 5,
        },
        Domain::Categorical { n_choices: 4 },
    ]);
    let mut rng = FastRng::new(6);
    let mut cats = [0usize; 4];
    for _ in 0..4000 {
        let y = mutate_point(
            &s,
            Mutation::Polynomial { eta: 20.0 },
            Some(1.0),
            &[50.0, 2.0],
            &mut rng,
        )
        .unwrap();
        assert_ne!(y[0], 50.0);
        assert_eq!(y[0] % 5.0, 0.0);
        cats[y[1] as usize] += 1;
    }
    // another category, uniformly
    assert_eq!(cats[2], 0);
    for c in [0, 1, 3] {
        assert!(
            (cats[c] as f64 / 4000.0 - 1.0 / 3.0).abs() < 0.03,
            "{cats:?}"
        );
    }
    // a small perturbation moves one step, not more
    let y = mutate_point(
        &s,
        Mutation::Gaussian { sigma: 1e-6 },
        Some(1.0),
        &[50.0, 0.0],
        &mut rng,
    )
    .unwrap();
    assert!(y[0] == 45.0 || y[0] == 55.0, "{y:?}");
    // a gene probability of 0 changes nothing
    assert_eq!(
        mutate_point(
            &s,
            Mutation::UniformReset,
            Some(0.0),
            &[50.0, 2.0],
            &mut rng
        )
        .unwrap(),
        vec![50.0, 2.0]
    );
}

#[test]
fn discrete_crossovers_exchange_genes() {
    let cat = Domain::Categorical { n_choices: 10 };
    let s = space(vec![
        cat.clone(),
        cat.clone(),
        cat.clone(),
        cat.clone(),
        cat.clone(),
        cat,
    ]);
    let (a, b) = (vec![0.0; 6], vec![1.0; 6]);
    let mut rng = FastRng::new(7);
    let op = |discrete| Crossover {
        discrete,
        ..Default::default()
    };
    let mut cuts = HashMap::new();
    for _ in 0..3000 {
        let (c, d) =
            crossover_pair(&s, &op(DiscreteCrossover::OnePoint), &a, &b, &mut rng).unwrap();
        // a head of one parent and the tail of the other, cut inside
        let cut = c.iter().position(|&v| v == 1.0).unwrap();
        assert!((1..6).contains(&cut));
        assert!(c[cut..].iter().all(|&v| v == 1.0));
        assert!(c.iter().zip(&d).all(|(x, y)| x + y == 1.0));
        *cuts.entry(cut).or_insert(0) += 1;

        let (c, _) =
            crossover_pair(&s, &op(DiscreteCrossover::TwoPoint), &a, &b, &mut rng).unwrap();
        let first = c.iter().position(|&v| v == 1.0).unwrap();
        let end = first
            + c[first..]
                .iter()
                .position(|&v| v == 0.0)
                .unwrap_or(6 - first);
        assert!(first >= 1 && end <= 5 && end > first, "{c:?}");
        assert!(c[end..].iter().all(|&v| v == 0.0), "{c:?}");

        let (c, d) = crossover_pair(&s, &op(DiscreteCrossover::Uniform), &a, &b, &mut rng).unwrap();
        assert!(c.iter().zip(&d).all(|(x, y)| x + y == 1.0));
    }
    assert_eq!(cuts.len(), 5);
    // integers join the float operator when asked
    let s = space(vec![Domain::Int {
        low: 0,
        high: 1000,
        log: false,
        step: 1,
    }]);
    let num = Crossover {
        float: FloatCrossover::Blend { alpha: 0.0 },
        ints_as_floats: true,
        ..Default::default()
    };
    let kids: Vec<f64> = (0..200)
        .map(|_| {
            crossover_pair(&s, &num, &[100.0], &[900.0], &mut rng)
                .unwrap()
                .0[0]
        })
        .collect();
    assert!(kids.iter().any(|&k| k != 100.0 && k != 900.0));
    assert!(kids
        .iter()
        .all(|&k| (100.0..=900.0).contains(&k) && k.fract() == 0.0));
}

/// A population of three copies-only individuals: children are copies of the selected parents.
fn selection_counts(
    selection: Selection,
    values: &[f64],
    violations: &[f64],
    direction: Direction,
) -> Vec<usize> {
    let s = space(vec![float(0.0, 10.0, false)]);
    let evaluated: Vec<Individual> = values
        .iter()
        .zip(violations)
        .enumerate()
        .map(|(i, (&v, &violation))| Individual {
            point: vec![i as f64],
            values: vec![v],
            violation,
        })
        .collect();
    let req = GenerationRequest {
        space: s,
        params: GaParams {
            population_size: values.len(),
            selection,
            crossover_prob: 0.0,
            mutation_prob: Some(0.0),
            avoid_duplicates: false,
            elitism: 0,
            seed: 8,
            ..GaParams::nsga2()
        },
        directions: vec![direction],
        evaluated,
        generation: 1,
        n: 30_000,
    };
    let mut counts = vec![0; values.len()];
    for c in propose_generation(&req).unwrap() {
        counts[c[0] as usize] += 1;
    }
    counts
}

fn assert_shares(counts: &[usize], expected: &[f64]) {
    let total: usize = counts.iter().sum();
    for (c, e) in counts.iter().zip(expected) {
        assert!(
            (*c as f64 / total as f64 - e).abs() < 0.015,
            "{counts:?} vs {expected:?}"
        );
    }
}

#[test]
fn selection_frequencies() {
    let none = [0.0; 3];
    // a tournament of the whole population always picks the best
    assert_eq!(
        selection_counts(
            Selection::Tournament { size: 3 },
            &[3.0, 1.0, 2.0],
            &none,
            Direction::Minimize
        ),
        vec![0, 30_000, 0]
    );
    // binary tournaments without replacement: each shuffle of four members makes two
    // tournaments; the best always wins, the second unless it meets the best (2/3),
    // the third only against the worst (1/3): shares 1/2, 1/3, 1/6, 0
    assert_shares(
        &selection_counts(
            Selection::Tournament { size: 2 },
            &[3.0, 1.0, 2.0, 4.0],
            &[0.0; 4],
            Direction::Minimize,
        ),
        &[1.0 / 6.0, 1.0 / 2.0, 1.0 / 3.0, 0.0],
    );
    // roulette with windowing: negative values are fine, the worst gets nothing
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[-10.0, -5.0, 0.0],
            &none,
            Direction::Maximize,
        ),
        &[0.0, 1.0 / 3.0, 2.0 / 3.0],
    );
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[1.0, 2.0, 3.0],
            &none,
            Direction::Minimize,
        ),
        &[2.0 / 3.0, 1.0 / 3.0, 0.0],
    );
    // equal fitness: uniform
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[4.0, 4.0, 4.0],
            &none,
            Direction::Minimize,
        ),
        &[1.0 / 3.0; 3],
    );
    // an infinitely good member takes the wheel; infeasible members are left out while feasible ones exist
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[1.0, f64::INFINITY, 3.0],
            &none,
            Direction::Maximize,
        ),
        &[0.0, 1.0, 0.0],
    );
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[1.0, 100.0, 3.0],
            &[0.0, 1.0, 0.0],
            Direction::Maximize,
        ),
        &[0.0, 0.0, 1.0],
    );
    // all infeasible: the violation decides
    assert_shares(
        &selection_counts(
            Selection::Roulette,
            &[1.0, 100.0, 3.0],
            &[3.0, 2.0, 1.0],
            Direction::Maximize,
        ),
        &[0.0, 1.0 / 3.0, 2.0 / 3.0],
    );
    // linear ranking: pressure 2 gives 2/3, 1/3, 0; pressure 1 is uniform; ties share
    assert_shares(
        &selection_counts(
            Selection::Rank { pressure: 2.0 },
            &[3.0, 1.0, 2.0],
            &none,
            Direction::Minimize,
        ),
        &[0.0, 2.0 / 3.0, 1.0 / 3.0],
    );
    assert_shares(
        &selection_counts(
            Selection::Rank { pressure: 1.0 },
            &[3.0, 1.0, 2.0],
            &none,
            Direction::Minimize,
        ),
        &[1.0 / 3.0; 3],
    );
    assert_shares(
        &selection_counts(
            Selection::Rank { pressure: 2.0 },
            &[1.0, 1.0, 2.0],
            &none,
            Direction::Minimize,
        ),
        &[0.5, 0.5, 0.0],
    );
    // a failed evaluation (NaN) ranks last
    assert_shares(
        &selection_counts(
            Selection::Rank { pressure: 2.0 },
            &[f64::NAN, 1.0, 2.0],
            &none,
            Direction::Minimize,
        ),
        &[0.0, 2.0 / 3.0, 1.0 / 3.0],
    );
}

fn individual(point: f64, values: Vec<f64>, violation: f64) -> Individual {
    Individual {
        point: vec![point],
        values,
        violation,
    }
}

fn population_of(
    pool: Vec<Individual>,
    population_size: usize,
    elitism: usize,
    objectives: usize,
) -> Vec<usize> {
    parent_population(&GenerationRequest {
        space: space(vec![float(0.0, 100.0, false)]),
        params: GaParams {
            population_size,
            elitism,
            ..GaParams::nsga2()
        },
        directions: vec![Direction::Minimize; objectives],
        evaluated: pool,
        generation: 1,
        n: 1,
    })
    .unwrap()
}

#[test]
fn elitism_keeps_the_best_by_the_feasibility_rules() {
    let pool = || {
        vec![
            individual(0.0, vec![3.0], 0.0),      // feasible, best
            individual(1.0, vec![7.0], 0.0),      // feasible, second
            individual(2.0, vec![1.0], 0.5),      // infeasible: worse than any feasible one
            individual(3.0, vec![5.0], 0.1),      // infeasible
            individual(4.0, vec![f64::NAN], 0.0), // failed
            individual(5.0, vec![0.0], 0.05),     // infeasible, most recent
        ]
    };
    assert_eq!(population_of(pool(), 3, 2, 1), vec![0, 1, 5]);
    // no elitism: the most recent ones
    assert_eq!(population_of(pool(), 3, 0, 1), vec![3, 4, 5]);
    // everything fits
    assert_eq!(population_of(pool(), 6, 2, 1), vec![0, 1, 2, 3, 4, 5]);
    // all infeasible: lower violation first, failed evaluations last whatever their violation
    let pool = vec![
        individual(0.0, vec![1.0], 0.5),
        individual(1.0, vec![9.0], 0.1),
        individual(2.0, vec![9.0], 0.05),
        individual(3.0, vec![f64::NAN], 0.0),
        individual(4.0, vec![f64::NAN], 0.0),
    ];
    assert_eq!(population_of(pool, 3, 2, 1), vec![1, 2, 4]);
}

#[test]
fn nsga2_selection_follows_constrained_domination() {
    let pool = || {
        vec![
            individual(0.0, vec![1.0, 1.0], 0.0),      // feasible, front 0
            individual(1.0, vec![0.0, 0.0], 0.1),      // dominates all, but infeasible
            individual(2.0, vec![2.0, 2.0], 0.0),      // feasible, front 1
            individual(3.0, vec![f64::NAN, 0.0], 0.0), // failed
            individual(4.0, vec![0.5, 3.0], 0.0),      // feasible, front 0
            individual(5.0, vec![-1.0, -1.0], 0.2),    // infeasible, worse violation
        ]
    };
    assert_eq!(population_of(pool(), 2, 0, 2), vec![0, 4]);
    assert_eq!(population_of(pool(), 3, 0, 2), vec![0, 2, 4]);
    assert_eq!(population_of(pool(), 4, 0, 2), vec![0, 1, 2, 4]);
    assert_eq!(population_of(pool(), 5, 0, 2), vec![0, 1, 2, 4, 5]);
    // the cut front keeps its extremes: of five points on a line keep the ends, then the most isolated
    let line = vec![
        individual(0.0, vec![0.0, 4.0], 0.0),
        individual(1.0, vec![1.0, 3.0], 0.0),
        individual(2.0, vec![1.2, 2.8], 0.0),
        individual(3.0, vec![3.0, 1.0], 0.0),
        individual(4.0, vec![4.0, 0.0], 0.0),
    ];
    assert_eq!(population_of(line.clone(), 2, 0, 2), vec![0, 4]);
    assert_eq!(population_of(line, 3, 0, 2), vec![0, 3, 4]);
}

#[test]
fn the_best_individual_is_never_lost() {
    let s = problems::box_space(5, -5.0, 5.0).unwrap();
    for (elitism, selection) in [
        (1, Selection::Tournament { size: 2 }),
        (3, Selection::Roulette),
        (1, Selection::Rank { pressure: 1.5 }),
    ] {
        let params = GaParams {
            population_size: 20,
            elitism,
            selection,
            seed: 9,
            ..GaParams::nsga2()
        };
        let res = run(&s, &params, &[Direction::Minimize], 2000, |x| {
            vec![problems::rastrigin(x)]
        })
        .unwrap();
        let best = res
            .evaluated
            .iter()
            .map(|i| i.values[0])
            .fold(f64::INFINITY, f64::min);
        let in_pop = res
            .population
            .iter()
            .map(|&i| res.evaluated[i].values[0])
            .fold(f64::INFINITY, f64::min);
        assert_eq!(best, in_pop);
        assert_eq!(res.population.len(), 20);
        assert_eq!(res.evaluated.len(), 2000);
    }
}

#[test]
fn duplicates_are_avoided_when_the_space_allows() {
    // 10 × 3 = 30 points: 2 evaluated, 12 children, all distinct
    let s = space(vec![
        Domain::Int {
            low: 1,
            high: 10,
            log: false,
            step: 1,
        },
        Domain::Categorical { n_choices: 3 },
    ]);
    let evaluated = vec![
        Individual::new(vec![1.0, 0.0], vec![1.0]),
        Individual::new(vec![2.0, 1.0], vec![2.0]),
    ];
    let mut req = GenerationRequest {
        space: s,
        params: GaParams {
            population_size: 4,
            seed: 10,
            mutation: Mutation::UniformReset,
            mutation_prob: Some(0.3),
            ..GaParams::nsga2()
        },
        directions: vec![Direction::Minimize],
        evaluated: evaluated.clone(),
        generation: 1,
        n: 12,
    };
    let distinct = |req: &GenerationRequest| {
        let children = propose_generation(req).unwrap();
        let mut all: Vec<Vec<f64>> = evaluated
            .iter()
            .map(|i| i.point.clone())
            .chain(children)
            .collect();
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        all.dedup();
        all.len()
    };
    assert_eq!(distinct(&req), 14);
    req.params.avoid_duplicates = false;
    assert!(distinct(&req) < 14);
}

#[test]
fn each_gene_mutates_independently_with_the_gene_probability() {
    // Uniform reset on a float gene always changes it, so a changed gene is a mutated one.
    let d = 12;
    let s = space(vec![float(0.0, 1.0, false); d]);
    let x = vec![0.5; d];
    let mut rng = FastRng::new(11);
    for p in [0.05, 0.3, 0.9] {
        let trials = 20_000;
        let mut per_gene = vec![0usize; d];
        let mut counts = Vec::with_capacity(trials);
        for _ in 0..trials {
            let y = mutate_point(&s, Mutation::UniformReset, Some(p), &x, &mut rng).unwrap();
            let changed: Vec<usize> = (0..d).filter(|&g| y[g] != 0.5).collect();
            changed.iter().for_each(|&g| per_gene[g] += 1);
            counts.push(changed.len() as f64);
        }
        // each gene: frequency p (5 standard errors)
        let se = (p * (1.0 - p) / trials as f64).sqrt();
        for (g, &c) in per_gene.iter().enumerate() {
            let f = c as f64 / trials as f64;
            assert!((f - p).abs() < 5.0 * se, "p {p}, gene {g}: {f}");
        }
        // the count per child is binomial(d, p): mean d·p, variance d·p·(1 − p)
        let (m, sd) = (mean(&counts), std(&counts));
        let (em, ev) = (d as f64 * p, d as f64 * p * (1.0 - p));
        assert!(
            (m - em).abs() < 5.0 * (ev / trials as f64).sqrt(),
            "p {p}: mean {m} vs {em}"
        );
        assert!(
            (sd * sd / ev - 1.0).abs() < 0.05,
            "p {p}: variance {} vs {ev}",
            sd * sd
        );
    }
    // probability 1: every gene
    let y = mutate_point(&s, Mutation::UniformReset, Some(1.0), &x, &mut rng).unwrap();
    assert!(y.iter().all(|&v| v != 0.5), "{y:?}");
}
