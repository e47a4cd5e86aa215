//! CMA-ES's parts against the `cmaes` package (0.13.1) on the same inputs
//! (`reference/cmaes_reference.json`, written by `bench/make_cmaes_fixtures.py`):
//! strategy parameters, the state after each of a few generations told the
//! package's own solutions (full, separable, with margin), and the warm start.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::cmaes::{self, warm_start::warm_start, CmaOptions, CmaState, Kind, Strategy};
use tunekit_core::space::{Domain, Param, Space};

fn reference() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../reference/cmaes_reference.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("missing {} ({e}); see reference/README.md", path.display()));
    serde_json::from_str(&text).expect("cmaes_reference.json is not valid JSON")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * w.abs().max(1.0),
            "{what}[{i}]: got {g}, want {w}"
        );
    }
}

#[test]
fn strategy_parameters_match_the_package() {
    // λ = 4 + ⌊3 ln n⌋, as the package's defaults in the fixture
    assert_eq!([2, 10, 40].map(cmaes::default_popsize), [6, 10, 15]);
    let r = reference();
    for case in r["strategy"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as usize;
        let lambda = case["lambda"].as_u64().unwrap() as usize;
        let kind = if case["separable"].as_bool().unwrap() {
            Kind::Separable
        } else {
            Kind::Full
        };
        let s = Strategy::new(kind, n, lambda);
        let what = format!("{kind:?} n={n} λ={lambda}");
        close(
            &s.weights,
            &numbers(&case["weights"]),
            1e-14,
            &format!("{what} weights"),
        );
        for (name, got) in [
            ("mu_eff", s.mu_eff),
            ("c1", s.c1),
            ("cmu", s.cmu),
            ("cc", s.cc),
            ("c_sigma", s.c_sigma),
            ("d_sigma", s.d_sigma),
            ("chi_n", s.chi_n),
        ] {
            close(
                &[got],
                &[case[name].as_f64().unwrap()],
                1e-14,
                &format!("{what} {name}"),
            );
        }
        assert_eq!(
            s.funhist_term as u64,
            case["funhist_term"].as_u64().unwrap()
        );
    }
}

/// The space of a reference run: `levels[i] == 0` a float in [0, 1], else an integer 0..levels−1.
fn run_space(n: usize, levels: &[usize]) -> Space {
    Space::new(
        (0..n)
            .map(|i| Param {
                name: format!("x{i}"),
                domain: match levels.get(i).copied().unwrap_or(0) {
                    0 => Domain::Float {
                        low: 0.0,
                        high: 1.0,
                        log: false,
                        step: None,
                    },
                    l => Domain::Int {
                        low: 0,
                        high: l as i64 - 1,
                        log: false,
                        step: 1,
                    },
                },
            })
            .collect(),
    )
    .unwrap()
}

#[test]
fn generations_match_the_package() {
    let r = reference();
    for run in r["runs"].as_array().unwrap() {
        let kind = run["kind"].as_str().unwrap();
        let n = run["n"].as_u64().unwrap() as usize;
        let levels: Vec<usize> = run
            .get("levels")
            .map(|l| numbers(l).iter().map(|&v| v as usize).collect())
            .unwrap_or_default();
        let space = run_space(n, &levels);
        let options = CmaOptions {
            separable: kind == "sep",
            with_margin: kind == "margin",
            popsize: Some(run["popsize"].as_u64().unwrap() as usize),
            ..CmaOptions::default()
        };
        let mut state = cmaes::init(&space, &options, None, 0).unwrap();
        close(&state.mean, &numbers(&run["mean0"]), 0.0, "mean0");
        assert_eq!(state.sigma, run["sigma0"].as_f64().unwrap());
        for (g, gen) in run["generations"].as_array().unwrap().iter().enumerate() {
            let xs: Vec<f64> = gen["xs"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(numbers)
                .collect();
            let values = numbers(&gen["values"]);
            state = cmaes::tell(&space, &options, &state, &xs, &values, 0)
                .unwrap()
                .state;
            let after = &gen["after"];
            let what = format!("{kind} generation {g}");
            // eigen solvers differ in the last bits (nalgebra vs LAPACK)
            let tol = 1e-9;
            close(
                &state.mean,
                &numbers(&after["mean"]),
                tol,
                &format!("{what} mean"),
            );
            close(
                &[state.sigma],
                &[after["sigma"].as_f64().unwrap()],
                tol,
                &format!("{what} sigma"),
            );
            close(
                &state.cov,
                &numbers(&after["cov"]),
                tol,
                &format!("{what} C"),
            );
            close(
                &state.pc,
                &numbers(&after["pc"]),
                tol,
                &format!("{what} pc"),
            );
            close(
                &state.p_sigma,
                &numbers(&after["p_sigma"]),
                tol,
                &format!("{what} p_sigma"),
            );
            if kind == "margin" {
                close(
                    &state.margin_a,
                    &numbers(&after["A"]),
                    tol,
                    &format!("{what} A"),
                );
            }
        }
    }
}

#[test]
fn warm_start_matches_the_package() {
    let r = reference();
    let w = &r["warm_start"];
    let points: Vec<Vec<f64>> = w["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(numbers)
        .collect();
    let ws = warm_start(&points, &numbers(&w["values"]), 3).unwrap();
    close(&ws.mean, &numbers(&w["mean"]), 1e-13, "warm mean");
    close(
        &[ws.sigma],
        &[w["sigma"].as_f64().unwrap()],
        1e-12,
        "warm sigma",
    );
    close(&ws.cov, &numbers(&w["cov"]), 1e-12, "warm cov");
    // and through init: the same distribution, in a state
    let space = run_space(3, &[]);
    let flat: Vec<f64> = points.concat();
    let state: CmaState = cmaes::init(
        &space,
        &CmaOptions::default(),
        Some((&flat, &numbers(&w["values"]))),
        0,
    )
    .unwrap();
    close(&state.mean, &numbers(&w["mean"]), 1e-13, "init mean");
    close(&state.cov, &numbers(&w["cov"]), 1e-12, "init cov");
}
