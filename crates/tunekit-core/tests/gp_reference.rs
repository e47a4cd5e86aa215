//! Gaussian-process posteriors and log marginal likelihoods against
//! scikit-learn 1.2.1 (`reference/gp_reference.json`, see its README).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::gp::{fit, GpParams, KernelKind, Optimizer};

fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../reference/gp_reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the Gaussian-process reference file is missing: expected {} ({e}); it is written by scikit-learn 1.2.1, see reference/README.md", path.display())
    });
    serde_json::from_str(&text).expect("gp_reference.json is not valid JSON")
}

fn matrix(v: &Value) -> (Vec<f64>, usize, usize) {
    let rows = v.as_array().unwrap();
    let d = rows[0].as_array().unwrap().len();
    let flat: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect();
    (flat, rows.len(), d)
}

fn vector(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
        x => vec![x.as_f64().unwrap()],
    }
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1e-12)
}

#[test]
fn fixed_kernels_match_scikit_learn() {
    let r = reference();
    let (x, n, d) = matrix(&r["X_train"]);
    let y = vector(&r["y_train"]);
    let (xt, m, _) = matrix(&r["X_test"]);
    let cases = r["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let kernel = match case["kind"].as_str().unwrap() {
            "matern52" => KernelKind::Matern52,
            "matern32" => KernelKind::Matern32,
            "rbf" => KernelKind::Rbf,
            k => panic!("unknown kind {k}"),
        };
        let params = GpParams {
            kernel,
            length_scale: vector(&case["length_scale"]),
            variance: case["variance"].as_f64().unwrap(),
            alpha: case["alpha"].as_f64().unwrap(),
            normalize_y: case["normalize_y"].as_bool().unwrap(),
            ..GpParams::default()
        };
        let gp = fit(&params, &x, n, d, &y).unwrap();
        let lml = case["log_marginal_likelihood"].as_f64().unwrap();
        assert!(
            rel_close(gp.log_marginal_likelihood(), lml, 1e-6),
            "{name}: LML {} vs scikit-learn {lml}",
            gp.log_marginal_likelihood()
        );
        let (mean, std) = gp.predict(&xt, m).unwrap();
        for (i, (a, b)) in mean.iter().zip(vector(&case["mean"])).enumerate() {
            assert!(
                rel_close(*a, b, 1e-6),
                "{name}: mean[{i}] {a} vs scikit-learn {b}"
            );
        }
        for (i, (a, b)) in std.iter().zip(vector(&case["std"])).enumerate() {
            assert!(
                rel_close(*a, b, 1e-6),
                "{name}: std[{i}] {a} vs scikit-learn {b}"
            );
        }
    }
}

#[test]
fn fitted_lml_reaches_scikit_learn() {
    let r = reference();
    let (x, n, d) = matrix(&r["X_train"]);
    let y = vector(&r["y_train"]);
    let f = &r["fitted"];
    let bv = vector(&f["bounds"]["constant"]);
    let bl = vector(&f["bounds"]["length_scale"]);
    let target = f["log_marginal_likelihood"].as_f64().unwrap();
    for restarts in [0usize, 5] {
        let params = GpParams {
            kernel: KernelKind::Matern52,
            length_scale: vec![1.0; d],
            variance: 1.0,
            alpha: f["alpha"].as_f64().unwrap(),
            normalize_y: f["normalize_y"].as_bool().unwrap(),
            optimizer: Some(Optimizer {
                restarts,
                bounds_variance: (bv[0], bv[1]),
                bounds_length_scale: (bl[0], bl[1]),
                seed: 3,
                ..Optimizer::default()
            }),
            ..GpParams::default()
        };
        let gp = fit(&params, &x, n, d, &y).unwrap();
        let lml = gp.log_marginal_likelihood();
        assert!(lml >= target - 1e-3, "restarts={restarts}: fitted LML {lml} < scikit-learn's best {target} − 1e-3 (θ = {:?})", gp.kernel_params());
        // scikit-learn: 1.34**2 * Matern(length_scale=[0.261, 0.547, 0.35], nu=2.5)
        let ls = gp.length_scale();
        for (a, b) in ls.iter().zip([0.261, 0.547, 0.35]) {
            assert!((a - b).abs() < 0.01, "length scales {ls:?}");
        }
        assert!(
            (gp.variance().sqrt() - 1.34).abs() < 0.01,
            "variance {}",
            gp.variance()
        );
    }
}
