//! TPE's parts against Optuna 5.1 on the same histories
//! (`reference/tpe_reference.json`, written by `bench/make_tpe_fixtures.py`):
//! Parzen-estimator log densities, below/above splits and truncated-normal masses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::ga::Direction;
use tunekit_core::space::{Domain, Param, Space};
use tunekit_core::tpe::parzen::{Kind, ParzenEstimator};
use tunekit_core::tpe::split::{default_gamma, split, Outcome};
use tunekit_core::tpe::truncnorm::log_gauss_mass;
use tunekit_core::tpe::{propose, TpeOptions};

fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../reference/tpe_reference.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("missing {} ({e}); see reference/README.md", path.display()));
    serde_json::from_str(&text).expect("tpe_reference.json is not valid JSON")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn kind(p: &Value) -> Kind {
    match p["type"].as_str().unwrap() {
        "categorical" => Kind::Categorical {
            n: p["n"].as_u64().unwrap() as usize,
        },
        t => Kind::Numeric {
            low: p["low"].as_f64().unwrap(),
            high: p["high"].as_f64().unwrap(),
            log: p["log"].as_bool().unwrap(),
            step: if t == "int" {
                Some(p["step"].as_f64().unwrap())
            } else {
                p["step"].as_f64()
            },
        },
    }
}

#[test]
fn parzen_log_densities_match_optuna() {
    let r = reference();
    let mut worst = 0.0f64;
    for case in r["parzen"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let kinds: Vec<Kind> = case["space"].as_array().unwrap().iter().map(kind).collect();
        let obs: Vec<f64> = case["observations"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(numbers)
            .collect();
        let weights = case["weights"]
            .as_array()
            .map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect::<Vec<_>>());
        let o = &case["options"];
        let options = TpeOptions {
            prior_weight: o["prior_weight"].as_f64().unwrap(),
            consider_endpoints: o["consider_endpoints"].as_bool().unwrap(),
            consider_magic_clip: o["consider_magic_clip"].as_bool().unwrap(),
            ..TpeOptions::default()
        };
        let pe = ParzenEstimator::new(&kinds, &obs, weights.as_deref(), &options).unwrap();
        for (q, want) in case["query"]
            .as_array()
            .unwrap()
            .iter()
            .zip(numbers(&case["log_pdf"]))
        {
            let got = pe.log_pdf(&numbers(q));
            worst = worst.max((got - want).abs() / want.abs().max(1.0));
            assert!(
                (got - want).abs() <= 1e-10 * want.abs().max(1.0),
                "{name}: at {q}: {got} vs Optuna's {want}"
            );
        }
    }
    println!("largest relative difference from Optuna: {worst:e}");
}

#[test]
fn splits_match_optuna() {
    let r = reference();
    for case in r["split"].as_array().unwrap() {
        let directions: Vec<Direction> = case["directions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                if d == "maximize" {
                    Direction::Maximize
                } else {
                    Direction::Minimize
                }
            })
            .collect();
        let outcomes: Vec<Outcome> = case["trials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| match t["state"].as_str().unwrap() {
                "COMPLETE" => Outcome::Complete(numbers(&t["values"])),
                "PRUNED" => Outcome::Pruned(
                    t["intermediate"]
                        .as_array()
                        .unwrap()
                        .last()
                        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap())),
                ),
                _ => Outcome::Running,
            })
            .collect();
        let finished = outcomes
            .iter()
            .filter(|o| !matches!(o, Outcome::Running))
            .count();
        let n_below = default_gamma(finished, directions.len());
        assert_eq!(n_below as u64, case["n_below"].as_u64().unwrap());
        let (below, above) = split(&outcomes, &directions, n_below);
        let want = |k: &str| {
            case[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect::<Vec<_>>()
        };
        assert_eq!(below, want("below"), "{:?}", case["directions"]);
        assert_eq!(above, want("above"), "{:?}", case["directions"]);
    }
}

#[test]
fn gauss_masses_match_optuna() {
    let r = reference();
    for c in r["truncnorm"].as_array().unwrap() {
        let (a, b, want) = (
            c["a"].as_f64().unwrap(),
            c["b"].as_f64().unwrap(),
            c["log_mass"].as_f64().unwrap(),
        );
        let got = log_gauss_mass(a, b);
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "[{a}, {b}]: {got} vs {want}"
        );
    }
}

fn space() -> Space {
    Space::new(vec![
        Param {
            name: "x".into(),
            domain: Domain::Float {
                low: -5.0,
                high: 5.0,
                log: false,
                step: None,
            },
        },
        Param {
            name: "k".into(),
            domain: Domain::Int {
                low: 1,
                high: 8,
                log: false,
                step: 1,
            },
        },
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 3 },
        },
    ])
    .unwrap()
}

#[test]
fn proposals_are_in_the_space_seeded_and_lean_to_the_good_points() {
    // Six good points (γ(60) = 6) near x = 2, k = 3, category 1; bad ones everywhere else.
    let s = space();
    let mut points = Vec::new();
    let mut outcomes = Vec::new();
    for i in 0..60 {
        let t = i as f64 / 59.0;
        let (x, k, c) = if i % 10 == 0 {
            (2.0 + 0.1 * (t - 0.5), 3.0, 1.0)
        } else {
            (-5.0 + 10.0 * t, (1 + i % 8) as f64, (i % 3) as f64)
        };
        points.extend([x, k, c]);
        let good = i % 10 == 0;
        outcomes.push(Outcome::Complete(vec![if good {
            0.1 * t
        } else {
            5.0 + t
        }]));
    }
    let mut near = 0;
    for seed in 0..20 {
        let p = propose(
            &s,
            &points,
            &outcomes,
            &[Direction::Minimize],
            &TpeOptions::default(),
            seed,
        )
        .unwrap();
        s.check_point(&p.point).unwrap();
        assert_eq!(p.below.len(), 6);
        assert_eq!(
            p,
            propose(
                &s,
                &points,
                &outcomes,
                &[Direction::Minimize],
                &TpeOptions::default(),
                seed
            )
            .unwrap()
        );
        if (p.point[0] - 2.0).abs() < 1.0 && p.point[1] == 3.0 && p.point[2] == 1.0 {
            near += 1;
        }
    }
    assert!(
        near >= 15,
        "only {near} of 20 proposals near the good region"
    );
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let s = space();
    let one = [Outcome::Complete(vec![1.0])];
    assert!(propose(
        &s,
        &[0.0, 1.0],
        &one,
        &[Direction::Minimize],
        &TpeOptions::default(),
        0
    )
    .is_err());
    assert!(propose(
        &s,
        &[0.0, 1.0, 7.0],
        &one,
        &[Direction::Minimize],
        &TpeOptions::default(),
        0
    )
    .is_err());
    assert!(propose(
        &s,
        &[9.0, 1.0, 0.0],
        &one,
        &[Direction::Minimize],
        &TpeOptions::default(),
        0
    )
    .is_err());
    assert!(propose(
        &s,
        &[0.0, 1.0, 0.0],
        &[Outcome::Complete(vec![1.0, 2.0])],
        &[Direction::Minimize],
        &TpeOptions::default(),
        0
    )
    .is_err());
    assert!(propose(
        &s,
        &[0.0, 1.0, 0.0],
        &one,
        &[Direction::Minimize],
        &TpeOptions {
            n_candidates: 0,
            ..TpeOptions::default()
        },
        0
    )
    .is_err());
    // No history at all: a draw from the prior.
    let p = propose(
        &s,
        &[],
        &[],
        &[Direction::Minimize],
        &TpeOptions::default(),
        3,
    )
    .unwrap();
    s.check_point(&p.point).unwrap();
}
