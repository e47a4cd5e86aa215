//! CMA-ES invariants and convergence: C stays symmetric positive definite;
//! the sphere and a rotated ellipsoid (10-D) reach 1e-8 within the budget
//! the `cmaes` package needs (`reference/cmaes_reference.json`); sep-CMA on a
//! separable 40-D ellipsoid; IPOP restarts beat one run on Rastrigin; the
//! margin keeps integer coordinates' marginal probability ≥ α; a warm start
//! from a source whose best lies near x* starts near x*; a serialised state
//! gives the same proposals; option errors name the value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use nalgebra::{DMatrix, SymmetricEigen};
use serde_json::Value;
use tunekit_core::cmaes::{self, margin, CmaError, CmaOptions, CmaState, Kind, RestartStrategy};
use tunekit_core::space::{Domain, Param, Space};

fn unit_space(n: usize) -> Space {
    Space::new(
        (0..n)
            .map(|i| Param {
                name: format!("x{i}"),
                domain: Domain::Float {
                    low: 0.0,
                    high: 1.0,
                    log: false,
                    step: None,
                },
            })
            .collect(),
    )
    .unwrap()
}

fn target(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.3 + 0.4 * i as f64 / (n - 1) as f64)
        .collect()
}

/// H₂H₁ with H = I − 2vvᵀ/‖v‖², v₁ᵢ = sin(i + 1), v₂ᵢ = cos(2i + 1) (as the fixture script).
fn rotate(z: &[f64]) -> Vec<f64> {
    let n = z.len();
    let mut out = z.to_vec();
    for v in [
        (0..n).map(|i| ((i + 1) as f64).sin()).collect::<Vec<_>>(),
        (0..n)
            .map(|i| ((2 * i + 1) as f64).cos())
            .collect::<Vec<_>>(),
    ] {
        let vv: f64 = v.iter().map(|a| a * a).sum();
        let vz: f64 = v.iter().zip(&out).map(|(a, b)| a * b).sum();
        for (o, a) in out.iter_mut().zip(&v) {
            *o -= 2.0 * a * vz / vv;
        }
    }
    out
}

fn sphere(u: &[f64]) -> f64 {
    u.iter()
        .zip(target(u.len()))
        .map(|(u, t)| (10.0 * (u - t)).powi(2))
        .sum()
}

fn ellipsoid(u: &[f64], rotated: bool) -> f64 {
    let n = u.len();
    let z: Vec<f64> = u
        .iter()
        .zip(target(n))
        .map(|(u, t)| 10.0 * (u - t))
        .collect();
    let z = if rotated { rotate(&z) } else { z };
    z.iter()
        .enumerate()
        .map(|(i, z)| 10f64.powf(6.0 * i as f64 / (n - 1) as f64) * z * z)
        .sum()
}

fn rastrigin(u: &[f64]) -> f64 {
    let n = u.len();
    10.0 * n as f64
        + u.iter()
            .enumerate()
            .map(|(i, u)| {
                let x = 10.24 * (u - 0.5) - (1.0 + 0.1 * i as f64);
                x * x - 10.0 * (std::f64::consts::TAU * x).cos()
            })
            .sum::<f64>()
}

struct Run {
    best: f64,
    /// Evaluations when a generation's best first went below 1e-8.
    reached: Option<usize>,
    states: Vec<CmaState>,
    restarts: u32,
}

fn optimise(
    space: &Space,
    options: &CmaOptions,
    f: impl Fn(&[f64]) -> f64,
    budget: usize,
    seed: u64,
    keep_states: bool,
) -> Run {
    let mut state = cmaes::init(space, options, None, seed).unwrap();
    let mut evals = 0;
    let mut best = f64::INFINITY;
    let mut reached = None;
    let mut states = Vec::new();
    while evals < budget {
        let mut xs = Vec::new();
        let mut values = Vec::new();
        for k in 0..state.popsize {
            let p = cmaes::ask(space, options, &state, seed, k as u64).unwrap();
            let v = f(&p.values);
            best = best.min(v);
            xs.extend(p.x);
            values.push(v);
        }
        evals += values.len();
        if reached.is_none() && best < 1e-8 {
            reached = Some(evals);
            break;
        }
        state = cmaes::tell(space, options, &state, &xs, &values, seed)
            .unwrap()
            .state;
        if keep_states {
            states.push(state.clone());
        }
    }
    Run {
        best,
        reached,
        restarts: state.restarts,
        states,
    }
}

fn package_median(name: &str) -> f64 {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../reference/cmaes_reference.json");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    r["budgets"][name]["median"].as_f64().unwrap()
}

fn median(mut v: Vec<usize>) -> f64 {
    v.sort_unstable();
    v[v.len() / 2] as f64
}

/// Evaluations to 1e-8 over 15 seeds: every run gets there, and the median
/// is within 10 % of the `cmaes` package's on the same function and settings.
fn reaches_within_the_package_budget(
    name: &str,
    n: usize,
    options: &CmaOptions,
    f: impl Fn(&[f64]) -> f64 + Copy,
) {
    let space = unit_space(n);
    let want = package_median(name);
    let evals: Vec<usize> = (1..=15)
        .map(|seed| {
            optimise(&space, options, f, (4.0 * want) as usize, seed, false)
                .reached
                .unwrap_or_else(|| panic!("{name}: seed {seed} did not reach 1e-8"))
        })
        .collect();
    let got = median(evals.clone());
    assert!(
        got <= 1.10 * want && got >= 0.80 * want,
        "{name}: median {got} evaluations, the package's {want} ({evals:?})"
    );
}

#[test]
fn sphere_10d_reaches_1e8_within_the_package_budget() {
    reaches_within_the_package_budget("sphere10", 10, &CmaOptions::default(), sphere);
}

#[test]
fn rotated_ellipsoid_10d_reaches_1e8_within_the_package_budget() {
    reaches_within_the_package_budget(
        "rotated_ellipsoid10",
        10,
        &CmaOptions::default(),
        |u: &[f64]| ellipsoid(u, true),
    );
}

#[test]
fn sep_cma_on_a_separable_40d_ellipsoid() {
    let options = CmaOptions {
        separable: true,
        ..CmaOptions::default()
    };
    reaches_within_the_package_budget("sep_ellipsoid40", 40, &options, |u: &[f64]| {
        ellipsoid(u, false)
    });
}

#[test]
fn covariance_stays_symmetric_positive_definite() {
    for (options, n) in [
        (CmaOptions::default(), 8),
        (
            CmaOptions {
                separable: true,
                ..CmaOptions::default()
            },
            8,
        ),
        (
            CmaOptions {
                popsize: Some(40),
                ..CmaOptions::default()
            },
            5,
        ),
    ] {
        let space = unit_space(n);
        let run = optimise(&space, &options, |u| ellipsoid(u, true), 3000, 7, true);
        assert!(run.states.len() > 30);
        for s in &run.states {
            let c = DMatrix::from_fn(n, n, |i, j| s.c(i, j));
            assert_eq!(c, c.transpose(), "C is not symmetric");
            let eig = SymmetricEigen::new(c);
            let min = eig.eigenvalues.min();
            assert!(min > 0.0, "C has eigenvalue {min}");
            assert!(s.sigma > 0.0 && s.sigma.is_finite());
        }
    }
}

#[test]
fn ipop_restarts_improve_over_one_run_on_rastrigin() {
    let n = 10;
    let space = unit_space(n);
    let ipop = CmaOptions {
        restart: RestartStrategy::Ipop,
        ..CmaOptions::default()
    };
    let budget = 40_000;
    let mut single = Vec::new();
    let mut restarted = Vec::new();
    for seed in 1..=6 {
        let one = optimise(
            &space,
            &CmaOptions::default(),
            rastrigin,
            budget,
            seed,
            false,
        );
        let many = optimise(&space, &ipop, rastrigin, budget, seed, false);
        assert_eq!(one.restarts, 0);
        assert!(
            many.restarts >= 2,
            "seed {seed}: {} restarts",
            many.restarts
        );
        single.push(one.best);
        restarted.push(many.best);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(&restarted) < 0.6 * mean(&single),
        "IPOP {restarted:?} vs one run {single:?}"
    );
}

#[test]
fn ipop_doubles_the_population_at_each_restart() {
    let space = unit_space(3);
    let options = CmaOptions {
        restart: RestartStrategy::Ipop,
        ..CmaOptions::default()
    };
    // shifted by 1, so the run never stops at 1e-8 and converges until a criterion stops it
    let run = optimise(&space, &options, |u| sphere(u) + 1.0, 20_000, 3, true);
    let mut last = (0, cmaes::default_popsize(3));
    for s in &run.states {
        if s.restarts != last.0 {
            assert_eq!(s.restarts, last.0 + 1);
            assert_eq!(s.popsize, 2 * last.1);
            assert_eq!(s.generation, 0);
            assert_eq!(s.sigma, 1.0 / 6.0);
            last = (s.restarts, s.popsize);
        }
    }
    assert!(
        last.0 >= 2,
        "the sphere converges, stops and restarts: {} restarts",
        last.0
    );
    // the epoch counts every generation of every run
    for (g, s) in run.states.iter().enumerate() {
        assert_eq!(s.epoch, g as u64 + 1);
    }
}

/// 4 floats in [0, 1], then integers in 0..=4, 0..=1, 0..=9 step 3, and a stepped float.
fn mixed_space() -> Space {
    let float = |i: usize| Param {
        name: format!("f{i}"),
        domain: Domain::Float {
            low: 0.0,
            high: 1.0,
            log: false,
            step: None,
        },
    };
    let mut params: Vec<Param> = (0..4).map(float).collect();
    for (i, (low, high, step)) in [(0, 4, 1), (0, 1, 1), (0, 9, 3)].into_iter().enumerate() {
        params.push(Param {
            name: format!("i{i}"),
            domain: Domain::Int {
                low,
                high,
                log: false,
                step,
            },
        });
    }
    params.push(Param {
        name: "s".into(),
        domain: Domain::Float {
            low: -1.0,
            high: 1.0,
            log: false,
            step: Some(0.5),
        },
    });
    Space::new(params).unwrap()
}

fn mixed_objective(v: &[f64]) -> f64 {
    let cont: f64 = v[..4].iter().map(|x| (x - 0.3).powi(2)).sum();
    // integer optimum at 4 (an edge), 0 (an edge), 6 (interior); stepped float at 0.5
    cont + (v[4] - 4.0).powi(2) + v[5] + (v[6] - 6.0).powi(2) / 9.0 + (v[7] - 0.5).powi(2)
}

#[test]
fn margin_keeps_the_integer_coordinates_marginal_probability_at_least_alpha() {
    let space = mixed_space();
    let options = CmaOptions {
        with_margin: true,
        ..CmaOptions::default()
    };
    let layout = cmaes::layout(&space, &options).unwrap();
    let grid: Vec<(usize, usize)> = (0..space.len())
        .filter_map(|i| layout.levels(i).map(|l| (i, l)))
        .collect();
    assert_eq!(grid, vec![(4, 5), (5, 2), (6, 4), (7, 5)]);
    let run = optimise(&space, &options, mixed_objective, 4000, 11, true);
    let n = space.len() as f64;
    for s in &run.states {
        let alpha = 1.0 / (n * s.popsize as f64);
        for &(i, levels) in &grid {
            let (below, above) = margin::side_probabilities(s, i, levels);
            let k = margin::nearest(s.mean[i], levels);
            let leave = if k == 0 || k == levels - 1 {
                below.min(above)
            } else {
                below + above
            };
            assert!(
                leave >= alpha * (1.0 - 1e-6),
                "generation {}: coordinate {i} leaves its level with probability {leave} < α = {alpha}",
                s.generation
            );
        }
    }
    // and it finds the mixed optimum: every integer on it
    assert!(run.best < 1e-3, "best {}", run.best);
    let last = run.states.last().unwrap();
    let p = cmaes::ask(&space, &options, last, 11, 0).unwrap();
    for (i, want) in [(4, 4.0), (5, 0.0), (6, 6.0), (7, 0.5)] {
        assert_eq!(p.values[i], want, "coordinate {i}");
    }
}

#[test]
fn integers_stay_on_their_grid_with_and_without_margin() {
    let space = mixed_space();
    for with_margin in [false, true] {
        let options = CmaOptions {
            with_margin,
            ..CmaOptions::default()
        };
        let state = cmaes::init(&space, &options, None, 5).unwrap();
        for k in 0..200 {
            let p = cmaes::ask(&space, &options, &state, 5, k).unwrap();
            space.check_point(&p.values).unwrap();
            assert!([0.0, 3.0, 6.0, 9.0].contains(&p.values[6]));
        }
    }
}

#[test]
fn warm_start_from_a_source_whose_best_lies_near_the_optimum_starts_near_it() {
    let space = unit_space(4);
    let x_star = [0.2, 0.7, 0.4, 0.85];
    let mut rng = tunekit_core::random::FastRng::new(42);
    let points: Vec<f64> = (0..400 * 4).map(|_| rng.uniform()).collect();
    let values: Vec<f64> = points
        .chunks(4)
        .map(|p| p.iter().zip(&x_star).map(|(a, b)| (a - b).powi(2)).sum())
        .collect();
    let state = cmaes::init(&space, &CmaOptions::default(), Some((&points, &values)), 0).unwrap();
    let dist = |m: &[f64]| {
        m.iter()
            .zip(&x_star)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    assert!(dist(&state.mean) < 0.12, "warm mean {:?}", state.mean);
    assert!(dist(&[0.5; 4]) > 0.5);
    // its candidates are nearer x* than those of a cold start
    let cold = cmaes::init(&space, &CmaOptions::default(), None, 0).unwrap();
    let mean_dist = |s: &CmaState| {
        (0..200)
            .map(|k| {
                dist(
                    &cmaes::ask(&space, &CmaOptions::default(), s, 0, k)
                        .unwrap()
                        .values,
                )
            })
            .sum::<f64>()
            / 200.0
    };
    let (warm, cold) = (mean_dist(&state), mean_dist(&cold));
    assert!(warm < 0.75 * cold, "warm {warm}, cold {cold}");
}

#[test]
fn a_serialised_state_gives_identical_subsequent_proposals() {
    for options in [
        CmaOptions::default(),
        CmaOptions {
            separable: true,
            ..CmaOptions::default()
        },
        CmaOptions {
            with_margin: true,
            ..CmaOptions::default()
        },
    ] {
        let space = mixed_space();
        let run = optimise(&space, &options, mixed_objective, 300, 9, true);
        let state = run.states.last().unwrap();
        let flat = state.to_flat();
        let back = CmaState::from_flat(&flat).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.to_flat()), bits(&flat));
        let mut xs = Vec::new();
        let mut values = Vec::new();
        for k in 0..state.popsize as u64 {
            let a = cmaes::ask(&space, &options, state, 9, k).unwrap();
            let b = cmaes::ask(&space, &options, &back, 9, k).unwrap();
            assert_eq!(bits(&a.x), bits(&b.x));
            assert_eq!(bits(&a.values), bits(&b.values));
            values.push(mixed_objective(&a.values));
            xs.extend(a.x);
        }
        let next_a = cmaes::tell(&space, &options, state, &xs, &values, 9).unwrap();
        let next_b = cmaes::tell(&space, &options, &back, &xs, &values, 9).unwrap();
        assert_eq!(bits(&next_a.state.to_flat()), bits(&next_b.state.to_flat()));
    }
}

#[test]
fn the_same_seed_and_state_give_the_same_candidates() {
    let space = unit_space(5);
    let options = CmaOptions::default();
    let state = cmaes::init(&space, &options, None, 1).unwrap();
    let a = cmaes::ask(&space, &options, &state, 1, 3).unwrap();
    assert_eq!(a, cmaes::ask(&space, &options, &state, 1, 3).unwrap());
    assert_ne!(a, cmaes::ask(&space, &options, &state, 1, 4).unwrap());
    assert_ne!(a, cmaes::ask(&space, &options, &state, 2, 3).unwrap());
    for v in &a.values {
        assert!((0.0..=1.0).contains(v));
    }
}

#[test]
fn bad_options_and_states_are_refused_with_the_value() {
    let space = unit_space(3);
    let check = |o: CmaOptions, warm: bool, msg: &str| {
        let e = o.check(warm).unwrap_err();
        assert_eq!(e.to_string(), msg);
    };
    check(
        CmaOptions {
            sigma0: Some(-0.5),
            ..CmaOptions::default()
        },
        false,
        "sigma0 must be a positive finite number, got -0.5",
    );
    check(
        CmaOptions {
            popsize: Some(1),
            ..CmaOptions::default()
        },
        false,
        "popsize must be an integer in [2, 1048576], got 1",
    );
    check(
        CmaOptions {
            inc_popsize: 1,
            ..CmaOptions::default()
        },
        false,
        "incPopsize must be an integer in [2, 1024], got 1",
    );
    check(
        CmaOptions {
            separable: true,
            with_margin: true,
            ..CmaOptions::default()
        },
        false,
        "useSeparableCma cannot be combined with withMargin",
    );
    check(
        CmaOptions {
            sigma0: Some(0.1),
            ..CmaOptions::default()
        },
        true,
        "sigma0 cannot be combined with a warm start (the warm start gives the step size)",
    );
    let cat = Space::new(vec![Param {
        name: "k".into(),
        domain: Domain::Categorical { n_choices: 3 },
    }])
    .unwrap();
    assert_eq!(
        cmaes::init(&cat, &CmaOptions::default(), None, 0).unwrap_err(),
        CmaError::Categorical { name: "k".into() }
    );
    let state = cmaes::init(&space, &CmaOptions::default(), None, 0).unwrap();
    let e = cmaes::tell(
        &space,
        &CmaOptions::default(),
        &state,
        &[0.5; 6],
        &[1.0, 2.0],
        0,
    )
    .unwrap_err();
    assert_eq!(
        e,
        CmaError::Solutions {
            got: 2,
            expected: 7
        }
    );
    let mut flat = state.to_flat();
    flat.pop();
    assert!(matches!(
        CmaState::from_flat(&flat),
        Err(CmaError::State(_))
    ));
    let four = unit_space(4);
    assert!(matches!(
        cmaes::ask(&four, &CmaOptions::default(), &state, 0, 0),
        Err(CmaError::StateMismatch(_))
    ));
    let few = [0.5; 9 * 3];
    assert_eq!(
        cmaes::init(&space, &CmaOptions::default(), Some((&few, &[0.0; 9])), 0).unwrap_err(),
        CmaError::WarmStartTooFew { got: 9 }
    );
    assert_eq!(state.kind, Kind::Full);
}

#[test]
fn small_and_degenerate_cases_run_and_stay_valid() {
    // one dimension; the smallest populations; every coordinate an integer under margin;
    // infinite values in a generation
    let one_int = Space::new(vec![Param {
        name: "k".into(),
        domain: Domain::Int {
            low: 0,
            high: 3,
            log: false,
            step: 1,
        },
    }])
    .unwrap();
    let cases: Vec<(Space, CmaOptions)> = vec![
        (unit_space(1), CmaOptions::default()),
        (
            unit_space(1),
            CmaOptions {
                separable: true,
                ..CmaOptions::default()
            },
        ),
        (
            unit_space(4),
            CmaOptions {
                popsize: Some(2),
                ..CmaOptions::default()
            },
        ),
        (
            unit_space(4),
            CmaOptions {
                popsize: Some(3),
                separable: true,
                ..CmaOptions::default()
            },
        ),
        (
            one_int.clone(),
            CmaOptions {
                with_margin: true,
                restart: RestartStrategy::Ipop,
                ..CmaOptions::default()
            },
        ),
    ];
    for (space, options) in cases {
        let mut state = cmaes::init(&space, &options, None, 1).unwrap();
        for g in 0..60u64 {
            let mut xs = Vec::new();
            let mut values = Vec::new();
            for k in 0..state.popsize as u64 {
                let p = cmaes::ask(&space, &options, &state, 1, k).unwrap();
                space.check_point(&p.values).unwrap();
                let v = if g == 3 && k == 0 {
                    f64::INFINITY
                } else {
                    p.values.iter().map(|v| (v - 0.7).powi(2)).sum()
                };
                values.push(v);
                xs.extend(p.x);
            }
            state = cmaes::tell(&space, &options, &state, &xs, &values, 1)
                .unwrap()
                .state;
            assert!(state.sigma.is_finite() && state.sigma > 0.0);
            assert!(state.mean.iter().all(|m| m.is_finite()));
            let back = CmaState::from_flat(&state.to_flat()).unwrap();
            assert_eq!(back.popsize, state.popsize);
        }
    }
}
