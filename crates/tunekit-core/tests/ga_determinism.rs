//! A generation is a pure function of (request, seed, generation).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::ga::{
    breed, diversity, initial_population, parent_population, problems, propose_generation,
    propose_generation_and_parents, Direction, FlatPool, GaError, GaParams, GenerationRequest,
    Individual, Init,
};
use tunekit_core::space::{Domain, Param, Space};

fn mixed_space() -> Space {
    let p = |name: &str, domain| Param {
        name: name.into(),
        domain,
    };
    Space::new(vec![
        p(
            "lr",
            Domain::Float {
                low: 1e-5,
                high: 1e-1,
                log: true,
                step: None,
            },
        ),
        p(
            "dropout",
            Domain::Float {
                low: 0.0,
                high: 0.5,
                log: false,
                step: Some(0.05),
            },
        ),
        p(
            "layers",
            Domain::Int {
                low: 1,
                high: 8,
                log: false,
                step: 1,
            },
        ),
        p(
            "units",
            Domain::Int {
                low: 16,
                high: 1024,
                log: true,
                step: 1,
            },
        ),
        p("optimizer", Domain::Categorical { n_choices: 3 }),
        p(
            "momentum",
            Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        ),
    ])
    .unwrap()
}

fn toy_objective(x: &[f64]) -> Vec<f64> {
    vec![
        (x[0].ln() + 7.0).powi(2) + x[1] + (x[2] - 3.0).abs() + x[4],
        (x[3] / 100.0 - 2.0).powi(2) + x[5],
    ]
}

fn request(seed: u64, objectives: usize) -> GenerationRequest {
    let space = mixed_space();
    let evaluated = initial_population(&space, Init::LatinHypercube, 30, 99)
        .unwrap()
        .into_iter()
        .map(|x| {
            let v = toy_objective(&x)[..objectives].to_vec();
            Individual::new(x, v)
        })
        .collect();
    GenerationRequest {
        space,
        params: GaParams {
            population_size: 20,
            seed,
            elitism: 2,
            ..GaParams::nsga2()
        },
        directions: vec![Direction::Minimize; objectives],
        evaluated,
        generation: 3,
        n: 20,
    }
}

#[test]
fn same_request_same_children_and_other_seeds_differ() {
    for objectives in [1, 2] {
        let req = request(5, objectives);
        let a = propose_generation(&req).unwrap();
        assert_eq!(a, propose_generation(&req.clone()).unwrap());
        let mut other = req.clone();
        other.params.seed = 6;
        assert_ne!(a, propose_generation(&other).unwrap());
        let mut later = req.clone();
        later.generation = 4;
        assert_ne!(a, propose_generation(&later).unwrap());
        // and the parent population does not depend on the seed
        assert_eq!(
            parent_population(&req).unwrap(),
            parent_population(&other).unwrap()
        );
        let (children, parents) = propose_generation_and_parents(&req).unwrap();
        assert_eq!(children, a);
        assert_eq!(parents, parent_population(&req).unwrap());
    }
}

#[test]
fn the_first_children_do_not_depend_on_n() {
    for objectives in [1, 2] {
        let mut req = request(11, objectives);
        let all = propose_generation(&req).unwrap();
        for n in [0, 1, 2, 7, 13] {
            req.n = n;
            assert_eq!(
                propose_generation(&req).unwrap(),
                all[..n].to_vec(),
                "n = {n}"
            );
        }
    }
}

#[test]
fn the_same_in_parallel_as_in_sequence() {
    let req = request(21, 2);
    let expected = propose_generation(&req).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let r = req.clone();
            std::thread::spawn(move || propose_generation(&r).unwrap())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

#[test]
fn initial_populations_are_seeded() {
    let space = mixed_space();
    for init in [Init::Uniform, Init::LatinHypercube, Init::Sobol] {
        let a = initial_population(&space, init, 40, 1).unwrap();
        assert_eq!(a, initial_population(&space, init, 40, 1).unwrap());
        assert_ne!(a, initial_population(&space, init, 40, 2).unwrap());
        // generation 0 with nothing evaluated proposes the initial population
        let req = GenerationRequest {
            space: space.clone(),
            params: GaParams {
                seed: 1,
                init,
                ..GaParams::nsga2()
            },
            directions: vec![Direction::Maximize],
            evaluated: vec![],
            generation: 0,
            n: 40,
        };
        assert_eq!(propose_generation(&req).unwrap(), a);
    }
}

#[test]
fn latin_hypercube_puts_one_point_in_each_stratum() {
    let space = problems::box_space(3, 0.0, 1.0).unwrap();
    let n = 50;
    let pop = initial_population(&space, Init::LatinHypercube, n, 4).unwrap();
    for j in 0..3 {
        let mut strata: Vec<usize> = pop
            .iter()
            .map(|x| (x[j] * n as f64).floor() as usize)
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..n).collect::<Vec<_>>());
    }
    // and integers get equal shares of the points
    let ints = Space::new(vec![Param {
        name: "k".into(),
        domain: Domain::Int {
            low: 1,
            high: 5,
            log: false,
            step: 1,
        },
    }])
    .unwrap();
    let pop = initial_population(&ints, Init::LatinHypercube, 50, 4).unwrap();
    for k in 1..=5 {
        assert_eq!(pop.iter().filter(|x| x[0] == f64::from(k)).count(), 10);
    }
}

#[test]
fn sobol_points_are_well_spread() {
    // 64 Sobol points in 2-D: every cell of an 8×8 grid holds exactly one
    let space = problems::box_space(2, 0.0, 1.0).unwrap();
    let pop = initial_population(&space, Init::Sobol, 64, 3).unwrap();
    let mut cells: Vec<usize> = pop
        .iter()
        .map(|x| (x[0] * 8.0) as usize * 8 + (x[1] * 8.0) as usize)
        .collect();
    cells.sort_unstable();
    assert_eq!(cells, (0..64).collect::<Vec<_>>());
    // more than the table's 256 dimensions
    let wide = problems::box_space(300, 0.0, 1.0).unwrap();
    let pop = initial_population(&wide, Init::Sobol, 4, 3).unwrap();
    assert!(pop.iter().all(|x| wide.check_point(x).is_ok()));
}

/// The request's pool as one flat block (with some violations, to carry them too).
fn flat(req: &GenerationRequest) -> FlatPool {
    let mut pool = FlatPool::new(req.space.len(), req.directions.len());
    for (i, ind) in req.evaluated.iter().enumerate() {
        let violation = if i % 7 == 3 { 0.5 * i as f64 } else { 0.0 };
        pool.extend(&ind.point, &ind.values, Some(&[violation]))
            .unwrap();
    }
    pool
}

#[test]
fn breed_on_a_flat_pool_equals_the_stateless_call() {
    for objectives in [1, 2] {
        let mut req = request(5, objectives);
        let pool = flat(&req);
        for (i, ind) in req.evaluated.iter_mut().enumerate() {
            ind.violation = if i % 7 == 3 { 0.5 * i as f64 } else { 0.0 };
        }
        let (children, parents) = propose_generation_and_parents(&req).unwrap();
        for checked in [false, true] {
            let out = breed(
                &req.space,
                &req.params,
                &req.directions,
                &pool,
                req.generation,
                req.n,
                checked,
            )
            .unwrap();
            assert_eq!(out.children(), children.concat());
            assert_eq!(out.parents(), parents);
            assert_eq!(out.diversity(), diversity(&children, &req.space).unwrap());
        }
    }
}

#[test]
fn breed_checks_the_pool_unless_told_its_points_are_its_own() {
    let req = request(5, 1);
    let d = req.space.len();
    let mut pool = FlatPool::new(d, 1);
    let mut bad = req.evaluated[0].point.clone();
    bad[2] = 2.5; // "layers" is an integer
    pool.extend(&bad, &[1.0], None).unwrap();
    let err = breed(&req.space, &req.params, &req.directions, &pool, 0, 4, false).unwrap_err();
    assert!(
        matches!(err, GaError::InvalidPoint { index: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("layers"), "{err}");
    // rows of the wrong width are refused even when the points are trusted
    let mut wide = FlatPool::new(d + 1, 1);
    wide.extend(&vec![0.5; d + 1], &[1.0], None).unwrap();
    let err = breed(&req.space, &req.params, &req.directions, &wide, 0, 4, true).unwrap_err();
    assert!(
        matches!(err, GaError::InvalidPoint { index: 0, .. }),
        "{err}"
    );
    // objective values and violations are checked either way
    let mut pool = FlatPool::new(d, 1);
    pool.extend(&req.evaluated[0].point, &[1.0], Some(&[-1.0]))
        .unwrap();
    let err = breed(&req.space, &req.params, &req.directions, &pool, 0, 4, true).unwrap_err();
    assert_eq!(
        err,
        GaError::InvalidViolation {
            index: 0,
            value: -1.0
        }
    );
}
