//! Every GA error, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::ga::{
    crossover_pair, crowding_distance, diversity, mutate_point, non_dominated_sort, pareto_front,
    problems, propose_generation, run, run_constrained, Crossover, Direction, FloatCrossover,
    GaError, GaParams, GenerationRequest, Individual, Mutation, Selection,
};
use tunekit_core::random::FastRng;
use tunekit_core::space::{Domain, Param, Space, SpaceError};

fn params_error(f: impl FnOnce(&mut GaParams)) -> String {
    let mut p = GaParams::nsga2();
    f(&mut p);
    p.check().unwrap_err().to_string()
}

#[test]
fn invalid_settings_are_named() {
    assert!(GaParams::nsga2().check().is_ok());
    assert_eq!(
        params_error(|p| p.population_size = 1),
        "population_size must be at least 2, got 1"
    );
    assert_eq!(
        params_error(|p| p.crossover_prob = 1.5),
        "crossover_prob must be a probability in [0, 1], got 1.5"
    );
    assert_eq!(
        params_error(|p| p.crossover_prob = f64::NAN),
        "crossover_prob must be a probability in [0, 1], got NaN"
    );
    assert_eq!(
        params_error(|p| p.mutation_prob = Some(-0.1)),
        "mutation_prob must be a probability in [0, 1], got -0.1"
    );
    assert_eq!(
        params_error(|p| p.crossover = Crossover {
            float: FloatCrossover::Sbx { eta: -1.0 },
            ..Default::default()
        }),
        "SBX eta must be a finite number >= 0, got -1"
    );
    assert_eq!(
        params_error(|p| p.mutation = Mutation::Polynomial { eta: f64::INFINITY }),
        "polynomial mutation eta must be a finite number >= 0, got inf"
    );
    assert_eq!(
        params_error(|p| p.mutation = Mutation::Gaussian { sigma: 0.0 }),
        "gaussian mutation sigma must be a finite number > 0 (a fraction of each parameter's range), got 0"
    );
    assert_eq!(
        params_error(|p| p.crossover = Crossover {
            float: FloatCrossover::Blend { alpha: -0.5 },
            ..Default::default()
        }),
        "blend crossover alpha must be a finite number >= 0, got -0.5"
    );
    assert_eq!(
        params_error(|p| p.selection = Selection::Tournament { size: 0 }),
        "tournament size must be between 1 and population_size = 50, got 0"
    );
    assert_eq!(
        params_error(|p| p.selection = Selection::Tournament { size: 51 }),
        "tournament size must be between 1 and population_size = 50, got 51"
    );
    assert_eq!(
        params_error(|p| p.selection = Selection::Rank { pressure: 2.5 }),
        "rank selection pressure must be in [1, 2], got 2.5"
    );
    assert_eq!(
        params_error(|p| p.elitism = 50),
        "elitism must be less than population_size = 50, got 50"
    );
}

fn request() -> GenerationRequest {
    GenerationRequest {
        space: problems::box_space(2, 0.0, 1.0).unwrap(),
        params: GaParams::nsga2(),
        directions: vec![Direction::Minimize],
        evaluated: vec![Individual::new(vec![0.5, 0.5], vec![1.0])],
        generation: 1,
        n: 4,
    }
}

fn request_error(f: impl FnOnce(&mut GenerationRequest)) -> GaError {
    let mut r = request();
    f(&mut r);
    propose_generation(&r).unwrap_err()
}

#[test]
fn invalid_requests_are_named() {
    assert_eq!(propose_generation(&request()).unwrap().len(), 4);
    assert_eq!(
        request_error(|r| r.directions.clear()).to_string(),
        "no objectives: give at least one direction"
    );
    assert_eq!(
        request_error(|r| r.evaluated[0].values = vec![1.0, 2.0]).to_string(),
        "individual 0 has 2 objective values but there are 1 directions"
    );
    assert_eq!(
        request_error(|r| r.evaluated.push(Individual::new(vec![0.5, 1.5], vec![0.0]))).to_string(),
        "point 1: parameter \"x1\": 1.5 is outside its domain (float in [0, 1])"
    );
    assert_eq!(
        request_error(|r| r.evaluated[0].point = vec![0.5]),
        GaError::InvalidPoint {
            index: 0,
            source: SpaceError::WrongLength {
                expected: 2,
                got: 1
            }
        }
    );
    assert_eq!(
        request_error(|r| r.evaluated[0].violation = -1.0).to_string(),
        "individual 0: the constraint violation must be a number >= 0 (0 = feasible), got -1"
    );
    assert!(request_error(|r| r.evaluated[0].violation = f64::NAN)
        .to_string()
        .ends_with("got NaN"));
    assert_eq!(
        request_error(|r| r.params.population_size = 0),
        GaError::PopulationTooSmall(0)
    );
    // a range too wide for a double
    let huge = Space::new(vec![Param {
        name: "x".into(),
        domain: Domain::Float {
            low: -1e308,
            high: 1e308,
            log: false,
            step: None,
        },
    }])
    .unwrap();
    assert_eq!(
        request_error(|r| {
            r.space = huge;
            r.evaluated.clear();
        })
        .to_string(),
        "parameter \"x\": the range high − low = 1e308 − -1e308 is not a finite number"
    );
    // NaN and infinite objective values are data, not errors
    let mut r = request();
    r.evaluated
        .push(Individual::new(vec![0.1, 0.2], vec![f64::NAN]));
    r.evaluated
        .push(Individual::new(vec![0.3, 0.2], vec![f64::NEG_INFINITY]));
    assert!(propose_generation(&r).is_ok());
}

#[test]
fn helpers_check_their_inputs() {
    let s = problems::box_space(2, 0.0, 1.0).unwrap();
    let mut rng = FastRng::new(0);
    assert!(crossover_pair(
        &s,
        &Crossover::default(),
        &[0.5, 0.5],
        &[0.5, 2.0],
        &mut rng
    )
    .unwrap_err()
    .to_string()
    .starts_with("point 1: parameter \"x1\": 2 is outside its domain"));
    assert!(mutate_point(
        &s,
        Mutation::Polynomial { eta: 20.0 },
        Some(2.0),
        &[0.5, 0.5],
        &mut rng
    )
    .unwrap_err()
    .to_string()
    .contains("mutation_prob must be a probability in [0, 1], got 2"));
    assert!(mutate_point(
        &s,
        Mutation::Gaussian { sigma: -1.0 },
        None,
        &[0.5, 0.5],
        &mut rng
    )
    .is_err());
    assert_eq!(
        non_dominated_sort(&[vec![1.0, 2.0]], &[Direction::Minimize])
            .unwrap_err()
            .to_string(),
        "individual 0 has 2 objective values but there are 1 directions"
    );
    assert_eq!(
        pareto_front(&[vec![1.0]], &[]).unwrap_err(),
        GaError::NoObjectives
    );
    assert!(crowding_distance(&[Vec::<f64>::new()]).is_err());
    assert!(diversity(&[vec![0.5, 3.0]], &s)
        .unwrap_err()
        .to_string()
        .starts_with("point 0: parameter \"x1\": 3"));
    assert_eq!(
        run(
            &s,
            &GaParams::nsga2(),
            &[Direction::Minimize],
            10,
            |_| vec![1.0, 2.0]
        )
        .unwrap_err()
        .to_string(),
        "individual 0 has 2 objective values but there are 1 directions"
    );
    assert_eq!(
        run_constrained(&s, &GaParams::nsga2(), &[Direction::Minimize], 10, |_| (
            vec![1.0],
            f64::NAN
        ))
        .unwrap_err()
        .to_string(),
        "individual 0: the constraint violation must be a number >= 0 (0 = feasible), got NaN"
    );
    assert_eq!(
        run(&s, &GaParams::nsga2(), &[], 0, |_| vec![]).unwrap_err(),
        GaError::NoObjectives
    );
    let empty = run(&s, &GaParams::nsga2(), &[Direction::Minimize], 0, |_| {
        vec![0.0]
    })
    .unwrap();
    assert!(empty.evaluated.is_empty() && empty.population.is_empty());
}

#[test]
fn diversity_is_a_normalised_rms_pairwise_distance() {
    let s = Space::new(vec![
        Param {
            name: "x".into(),
            domain: Domain::Float {
                low: 0.0,
                high: 10.0,
                log: false,
                step: None,
            },
        },
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 3 },
        },
    ])
    .unwrap();
    assert_eq!(diversity(&vec![vec![3.0, 1.0]; 5], &s).unwrap(), 0.0);
    assert_eq!(diversity(&Vec::<Vec<f64>>::new(), &s).unwrap(), 0.0);
    // opposite corners: every gene differs fully
    assert_eq!(
        diversity(&[vec![0.0, 0.0], vec![10.0, 2.0]], &s).unwrap(),
        1.0
    );
    // half the range on x, same category: sqrt(0.25 / 2)
    assert!(
        (diversity(&[vec![0.0, 1.0], vec![5.0, 1.0]], &s).unwrap() - (0.125f64).sqrt()).abs()
            < 1e-12
    );
    // a converged population is less diverse than a random one
    let random =
        tunekit_core::ga::initial_population(&s, tunekit_core::ga::Init::Uniform, 50, 1).unwrap();
    let converged: Vec<Vec<f64>> = random
        .iter()
        .map(|x| vec![5.0 + x[0] / 100.0, 0.0])
        .collect();
    assert!(diversity(&converged, &s).unwrap() < 0.1 * diversity(&random, &s).unwrap());
    // equal to the brute-force root mean square over all pairs
    let enc: Vec<(f64, f64)> = random.iter().map(|x| (x[0] / 10.0, x[1])).collect();
    let mut sum = 0.0;
    let mut pairs = 0.0;
    for i in 0..enc.len() {
        for j in i + 1..enc.len() {
            let dx = enc[i].0 - enc[j].0;
            let dc = f64::from(u8::from(enc[i].1 != enc[j].1));
            sum += (dx * dx + dc * dc) / 2.0;
            pairs += 1.0;
        }
    }
    let brute = (sum / pairs).sqrt();
    assert!(
        (diversity(&random, &s).unwrap() - brute).abs() < 1e-12,
        "{brute}"
    );
}

#[test]
fn absurd_sizes_do_not_panic() {
    // a huge population size only caps what is kept; a huge tournament is clamped
    let mut r = request();
    r.params.population_size = usize::MAX;
    r.params.elitism = usize::MAX - 1;
    r.params.selection = Selection::Tournament { size: usize::MAX };
    assert_eq!(propose_generation(&r).unwrap().len(), 4);
    // extreme integer and categorical domains
    let s = Space::new(vec![
        Param {
            name: "i".into(),
            domain: Domain::Int {
                low: -(1 << 60),
                high: 1 << 60,
                log: false,
                step: 1,
            },
        },
        Param {
            name: "c".into(),
            domain: Domain::Categorical {
                n_choices: usize::MAX,
            },
        },
        Param {
            name: "f".into(),
            domain: Domain::Float {
                low: 1e-300,
                high: 1e300,
                log: true,
                step: None,
            },
        },
    ])
    .unwrap();
    let mut r = request();
    r.space = s.clone();
    r.evaluated = tunekit_core::ga::initial_population(&s, tunekit_core::ga::Init::Sobol, 10, 1)
        .unwrap()
        .into_iter()
        .map(|x| Individual::new(x, vec![1.0]))
        .collect();
    for x in propose_generation(&r).unwrap() {
        s.check_point(&x).unwrap();
    }
}
