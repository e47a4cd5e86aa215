//! Loading the shared reference data (scikit-learn 1.2.1 values).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;
use tunekit_core::data::{Labels, Matrix};
use tunekit_core::model_selection::Fold;
use tunekit_core::svm::{fit, Gamma, Kernel, SvcModel, SvcParams};

/// The repository's `reference/` folder (scikit-learn 1.2.1 values, see its README).
pub fn reference_dir() -> PathBuf {
    repo_dir("reference")
}

/// The bundled data sets (`data/`), the CSVs the reference values were computed on.
pub fn data_dir() -> PathBuf {
    repo_dir("data")
}

fn repo_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name);
    assert!(
        dir.join("README.md").is_file(),
        "the repository folder {} is missing",
        dir.display()
    );
    dir
}

/// A CSV whose last column is the integer class `target`.
pub fn load_csv(name: &str) -> (Matrix, Labels) {
    let path = data_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().expect("empty csv");
    let cols = header.split(',').count();
    let mut values = Vec::new();
    let mut codes = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), cols, "ragged line in {name}: {line}");
        for f in &fields[..cols - 1] {
            values.push(f.trim().parse::<f64>().expect("number"));
        }
        codes.push(fields[cols - 1].trim().parse::<f64>().expect("target") as u32);
    }
    let rows = codes.len();
    let n_classes = *codes.iter().max().unwrap() as usize + 1;
    (
        Matrix::new(values, rows, cols - 1).unwrap(),
        Labels::new(codes, n_classes).unwrap(),
    )
}

pub struct Reference {
    pub x: Matrix,
    pub y: Labels,
    pub folds: Vec<Fold>,
    pub configs: Vec<SvcParams>,
    pub labels: Vec<String>,
    pub fold_scores: Vec<Vec<f64>>,
    pub means: Vec<f64>,
    pub sklearn_seconds: f64,
}

pub fn params_from_json(p: &Value) -> SvcParams {
    let kernel = match p["kernel"].as_str().expect("kernel") {
        "linear" => Kernel::Linear,
        "rbf" => Kernel::Rbf,
        "poly" => Kernel::Poly,
        "sigmoid" => Kernel::Sigmoid,
        other => panic!("unknown kernel {other}"),
    };
    let gamma = match &p["gamma"] {
        Value::Null => Gamma::Scale,
        Value::String(s) if s == "scale" => Gamma::Scale,
        Value::String(s) if s == "auto" => Gamma::Auto,
        v => Gamma::Value(v.as_f64().expect("gamma number")),
    };
    SvcParams {
        c: p["C"].as_f64().expect("C"),
        kernel,
        gamma,
        ..SvcParams::default()
    }
}

pub fn load_reference(json: &str, csv: &str) -> Reference {
    let path = reference_dir().join(json);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).expect("json");
    let (x, y) = load_csv(csv);
    let n = x.rows();
    let folds = v["test_folds"]
        .as_array()
        .expect("test_folds")
        .iter()
        .map(|t| {
            let test: Vec<usize> = t
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_u64().unwrap() as usize)
                .collect();
            let train = (0..n).filter(|i| !test.contains(i)).collect();
            Fold { train, test }
        })
        .collect();
    let results = v["results"].as_array().expect("results");
    Reference {
        x,
        y,
        folds,
        configs: results
            .iter()
            .map(|r| params_from_json(&r["params"]))
            .collect(),
        labels: results.iter().map(|r| r["params"].to_string()).collect(),
        fold_scores: results
            .iter()
            .map(|r| {
                r["fold_scores"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_f64().unwrap())
                    .collect()
            })
            .collect(),
        means: results
            .iter()
            .map(|r| r["mean"].as_f64().unwrap())
            .collect(),
        sklearn_seconds: v["sklearn_seconds_sequential"].as_f64().unwrap_or(f64::NAN),
    }
}

/// Number of correct test predictions behind an accuracy.
pub fn correct(accuracy: f64, n_test: usize) -> usize {
    (accuracy * n_test as f64).round() as usize
}

/// CPU seconds used by this process so far (user + system, all threads), from
/// /proc (Linux); 0 elsewhere. Wall time on a shared machine measures the
/// neighbours too; CPU time measures us.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

impl Reference {
    /// `cfg` fitted on the training rows of `fold`.
    pub fn fit_fold(&self, cfg: &SvcParams, fold: &Fold) -> SvcModel {
        fit(
            cfg,
            &self.x.select_rows(&fold.train).unwrap(),
            &self.y.select(&fold.train).unwrap(),
        )
        .unwrap()
    }

    /// The accuracy of `model` on the test rows of `fold`.
    pub fn score_fold(&self, model: &SvcModel, fold: &Fold) -> f64 {
        model
            .score(
                &self.x.select_rows(&fold.test).unwrap(),
                &self.y.select(&fold.test).unwrap(),
            )
            .unwrap()
    }
}
