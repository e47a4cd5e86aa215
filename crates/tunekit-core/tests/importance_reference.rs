//! Parameter importance against Optuna 5.1 (`reference/importance/importance_reference.json`,
//! written by `reference/importance/make_fixtures.py`), and its invariants and errors.
//!
//! PED-ANOVA is deterministic: its normalised importances match Optuna's to
//! 1e-6 relative (1e-12 absolute near 0). fANOVA's forest draws differ from
//! scikit-learn's, so it is compared by rank: Spearman ≥ 0.9 against the mean
//! of Optuna's importances over 5 seeds, the same top parameter, and every
//! value within 0.05 absolute. In every study the parameter without effect
//! ("dummy") is the least important for both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::importance::{
    evaluate, normalise, Evaluator, FanovaOptions, ImportanceError, PedAnovaOptions, Trials,
};
use tunekit_core::space::{Domain, Param, Space};

fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../reference/importance/importance_reference.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("missing {} ({e}); see reference/README.md", path.display()));
    serde_json::from_str(&text).expect("importance_reference.json is not valid JSON")
}

struct Study {
    name: String,
    space: Space,
    names: Vec<String>,
    points: Vec<f64>,
    values: Vec<f64>,
    maximize: bool,
    ped: Value,
    fanova: Value,
}

fn domain(d: &Value) -> Domain {
    let f = |k: &str| d[k].as_f64().unwrap();
    match d["type"].as_str().unwrap() {
        "float" => Domain::Float {
            low: f("low"),
            high: f("high"),
            log: d["log"].as_bool().unwrap(),
            step: d.get("step").and_then(Value::as_f64),
        },
        "int" => Domain::Int {
            low: f("low") as i64,
            high: f("high") as i64,
            log: d["log"].as_bool().unwrap(),
            step: f("step") as i64,
        },
        _ => Domain::Categorical {
            n_choices: d["choices"].as_array().unwrap().len(),
        },
    }
}

fn studies() -> Vec<Study> {
    let r = reference();
    assert_eq!(r["optuna"].as_str().unwrap(), "5.1.0");
    r["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let dists = s["distributions"].as_object().unwrap();
            let names: Vec<String> = dists.keys().cloned().collect();
            let params: Vec<Param> = names
                .iter()
                .map(|n| Param {
                    name: n.clone(),
                    domain: domain(&dists[n]),
                })
                .collect();
            let mut points = Vec::new();
            let mut values = Vec::new();
            for t in s["trials"].as_array().unwrap() {
                values.push(t["value"].as_f64().unwrap());
                for n in &names {
                    let v = &t["params"][n];
                    let d = &dists[n];
                    points.push(if d["type"] == "categorical" {
                        d["choices"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .position(|c| c == v)
                            .unwrap() as f64
                    } else {
                        v.as_f64().unwrap()
                    });
                }
            }
            Study {
                name: s["name"].as_str().unwrap().into(),
                space: Space::new(params).unwrap(),
                names,
                points,
                values,
                maximize: s["direction"] == "maximize",
                ped: s["ped_anova"].clone(),
                fanova: s["fanova"].clone(),
            }
        })
        .collect()
}

/// The parameter without effect is the least important of those that can vary.
fn assert_dummy_last(s: &Study, v: &[f64], max: f64) {
    let dummy = s.names.iter().position(|n| n == "dummy").unwrap();
    for (k, n) in s.names.iter().enumerate() {
        if k != dummy && n != "fixed" {
            assert!(
                v[dummy] < v[k],
                "{}: dummy {} ≥ {n} {}",
                s.name,
                v[dummy],
                v[k]
            );
        }
    }
    assert!(v[dummy] < max, "{}: dummy {}", s.name, v[dummy]);
}

fn run(s: &Study, evaluator: &Evaluator, negate: bool) -> Vec<f64> {
    let targets: Vec<f64> = s
        .values
        .iter()
        .map(|v| if negate { -v } else { *v })
        .collect();
    let trials = Trials {
        space: &s.space,
        points: &s.points,
        targets: &targets,
        numbers: &[],
    };
    evaluate(&trials, evaluator).unwrap().values
}

fn expected(s: &Study, v: &Value) -> Vec<f64> {
    s.names.iter().map(|n| v[n].as_f64().unwrap()).collect()
}

#[test]
fn ped_anova_matches_optuna() {
    let cases = [
        ("default", PedAnovaOptions::default()),
        (
            "global",
            PedAnovaOptions {
                evaluate_on_local: false,
                ..PedAnovaOptions::default()
            },
        ),
        (
            "q0.2_r0.5",
            PedAnovaOptions {
                target_quantile: 0.2,
                region_quantile: 0.5,
                ..PedAnovaOptions::default()
            },
        ),
    ];
    for s in studies() {
        for (key, o) in &cases {
            let got = run(&s, &Evaluator::PedAnova(o.clone()), s.maximize);
            let want = expected(&s, &s.ped[key]);
            for ((g, w), n) in got.iter().zip(&want).zip(&s.names) {
                let tol = 1e-6 * w.abs() + 1e-12;
                assert!(
                    (g - w).abs() <= tol,
                    "{} {key} {n}: got {g}, Optuna {w}",
                    s.name
                );
            }
            if *key == "default" {
                // PED-ANOVA's top 10 % (30 trials) leaves a 3-choice dummy some noise
                assert_dummy_last(&s, &got, 0.1);
            }
        }
    }
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        for k in i..=j {
            r[idx[k]] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let ma = ra.iter().sum::<f64>() / n;
    let mb = rb.iter().sum::<f64>() / n;
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap()
}

#[test]
fn fanova_agrees_with_optuna_by_rank() {
    for s in studies() {
        let got = run(&s, &Evaluator::Fanova(FanovaOptions::default()), false);
        let seeds = s.fanova.as_object().unwrap();
        let mut want = vec![0.0; s.names.len()];
        for v in seeds.values() {
            for (w, x) in want.iter_mut().zip(expected(&s, v)) {
                *w += x / seeds.len() as f64;
            }
        }
        let rho = spearman(&got, &want);
        println!(
            "{}: ours {got:.4?}\n  optuna {want:.4?}\n  spearman {rho:.3}",
            s.name
        );
        assert!(rho >= 0.9, "{}: Spearman {rho}", s.name);
        assert_eq!(argmax(&got), argmax(&want), "{}: top parameter", s.name);
        for ((g, w), n) in got.iter().zip(&want).zip(&s.names) {
            assert!((g - w).abs() <= 0.05, "{} {n}: got {g}, Optuna {w}", s.name);
        }
        assert_dummy_last(&s, &got, 0.02);
    }
}

#[test]
fn invariants_hold_for_both_evaluators() {
    for s in studies() {
        for e in [
            Evaluator::PedAnova(PedAnovaOptions::default()),
            Evaluator::Fanova(FanovaOptions::default()),
        ] {
            let v = run(&s, &e, s.maximize);
            let sum: f64 = v.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "{} {e:?}: sum {sum}", s.name);
            assert!(v.iter().all(|&x| x >= 0.0));
            if let Some(f) = s.names.iter().position(|n| n == "fixed") {
                assert_eq!(v[f], 0.0, "a single-valued parameter gets 0");
            }
        }
    }
}

#[test]
fn fanova_is_deterministic_and_thread_count_free() {
    let s = &studies()[4];
    let e = Evaluator::Fanova(FanovaOptions {
        seed: 7,
        ..FanovaOptions::default()
    });
    let a = run(s, &e, false);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = one.install(|| run(s, &e, false));
    assert_eq!(a, b);
    let c = run(
        s,
        &Evaluator::Fanova(FanovaOptions {
            seed: 8,
            ..FanovaOptions::default()
        }),
        false,
    );
    assert_ne!(a, c, "another seed, another forest");
}

/// y depends on x0 only: x1's importance is ~0 for both evaluators, and a
/// pure additive function gives fANOVA fractions close to the analytic ones.
#[test]
fn constant_effect_parameter_gets_nothing() {
    let space = Space::new(vec![
        Param {
            name: "x0".into(),
            domain: Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        },
        Param {
            name: "x1".into(),
            domain: Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        },
    ])
    .unwrap();
    let mut points = Vec::new();
    let mut targets = Vec::new();
    let mut r = tunekit_core::random::FastRng::new(3);
    for _ in 0..400 {
        let (a, b) = (r.uniform(), r.uniform());
        points.extend([a, b]);
        targets.push((a - 0.3).powi(2));
    }
    let trials = Trials {
        space: &space,
        points: &points,
        targets: &targets,
        numbers: &[],
    };
    let f = evaluate(&trials, &Evaluator::Fanova(FanovaOptions::default())).unwrap();
    assert!(f.values[1] < 0.01, "fANOVA x1: {}", f.values[1]);
    assert_eq!(f.order, vec![0, 1]);
    let p = evaluate(&trials, &Evaluator::default()).unwrap();
    assert!(p.values[1] < 0.05, "PED-ANOVA x1: {}", p.values[1]);
}

#[test]
fn normalise_gives_equal_shares_and_optuna_tie_order() {
    let n = normalise(&[0.0, 0.0, 0.0]);
    assert_eq!(n.values, vec![1.0 / 3.0; 3]);
    // Optuna sorts ascending (stable) and reverses: ties come out last first
    assert_eq!(n.order, vec![2, 1, 0]);
    let n = normalise(&[1.0, 3.0, 0.0, 1.0]);
    assert_eq!(n.values, vec![0.2, 0.6, 0.0, 0.2]);
    assert_eq!(n.order, vec![1, 3, 0, 2]);
}

#[test]
fn bad_input_is_named() {
    let space = Space::new(vec![Param {
        name: "x".into(),
        domain: Domain::Int {
            low: 0,
            high: 3,
            log: false,
            step: 1,
        },
    }])
    .unwrap();
    let eval = |points: &[f64], targets: &[f64], e: &Evaluator| {
        evaluate(
            &Trials {
                space: &space,
                points,
                targets,
                numbers: &[10, 11, 12],
            },
            e,
        )
        .unwrap_err()
    };
    let d = Evaluator::default();
    assert_eq!(
        eval(&[1.0], &[1.0], &d),
        ImportanceError::TooFewTrials { got: 1 }
    );
    let e = eval(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 2.0], &d);
    assert_eq!(
        e.to_string(),
        "the target of trial 11 is NaN: targets must be finite numbers"
    );
    let e = eval(&[1.0, 2.0, 7.0], &[1.0, 0.0, 2.0], &d);
    assert!(
        e.to_string()
            .starts_with("trial 12: parameter \"x\" is 7, outside its domain"),
        "{e}"
    );
    let e = eval(&[1.0, 2.0], &[1.0, 0.0, 2.0], &d);
    assert!(matches!(
        e,
        ImportanceError::Shape {
            len: 2,
            expected: 3,
            ..
        }
    ));
    let e = eval(
        &[1.0, 2.0, 3.0],
        &[1.0, 0.0, 2.0],
        &Evaluator::PedAnova(PedAnovaOptions {
            target_quantile: 1.5,
            ..PedAnovaOptions::default()
        }),
    );
    assert_eq!(e.to_string(), "targetQuantile must be in (0, 1), got 1.5");
    let e = eval(
        &[1.0, 2.0, 3.0],
        &[1.0, 0.0, 2.0],
        &Evaluator::PedAnova(PedAnovaOptions {
            target_quantile: 0.5,
            region_quantile: 0.4,
            ..PedAnovaOptions::default()
        }),
    );
    assert_eq!(
        e.to_string(),
        "regionQuantile must be in (targetQuantile, 1], got 0.4"
    );
    let e = eval(
        &[1.0, 2.0, 3.0],
        &[1.0, 0.0, 2.0],
        &Evaluator::Fanova(FanovaOptions {
            n_trees: 0,
            ..FanovaOptions::default()
        }),
    );
    assert_eq!(e.to_string(), "nTrees must be an integer ≥ 1, got 0");
    let e = eval(
        &[1.0, 2.0, 3.0],
        &[5.0, 5.0, 5.0],
        &Evaluator::Fanova(FanovaOptions::default()),
    );
    assert_eq!(e, ImportanceError::ZeroVariance);
}

/// A fully grown tree reproduces its training targets (distinct inputs), and
/// its thresholds lie halfway between neighbouring values.
#[test]
fn a_full_tree_interpolates_its_bootstrap_sample() {
    use tunekit_core::importance::forest::{bootstrap, grow, TreeParams};
    let mut r = tunekit_core::random::FastRng::new(11);
    let n = 200;
    let x: Vec<f64> = (0..n * 3).map(|_| r.uniform()).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| x[i * 3] * 4.0 - x[i * 3 + 1] + (x[i * 3 + 2] * 9.0).sin())
        .collect();
    let (rows, w) = bootstrap(n, &mut r);
    assert!(
        rows.len() > n / 2 && rows.len() < n,
        "{} distinct rows",
        rows.len()
    );
    let params = TreeParams {
        max_depth: 64,
        min_samples_split: 2,
        min_samples_leaf: 1,
    };
    let tree = grow(&x, 3, &y, rows.clone(), &w, &params, &mut r);
    for &i in &rows {
        assert_eq!(tree.predict(&x[i * 3..i * 3 + 3]), y[i]);
    }
    let leaves = tree.nodes.iter().filter(|n| n.feature < 0).count();
    assert_eq!(leaves, rows.len(), "one leaf per distinct row");
    // depth 1: a stump, two leaves, the root's value the weighted mean
    let stump = grow(
        &x,
        3,
        &y,
        rows.clone(),
        &w,
        &TreeParams {
            max_depth: 1,
            ..params
        },
        &mut r,
    );
    assert_eq!(stump.nodes.len(), 3);
    let mean =
        rows.iter().map(|&i| w[i] * y[i]).sum::<f64>() / rows.iter().map(|&i| w[i]).sum::<f64>();
    assert!((stump.nodes[0].value - mean).abs() < 1e-12);
}
