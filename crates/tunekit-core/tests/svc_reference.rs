//! Cross-validated accuracies against scikit-learn 1.2.1 (libsvm inside), from
//! `reference/svc_cv_{iris,wine}.json` (data in `data/`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{correct, load_reference, Reference};
use tunekit_core::model_selection::search::cross_validate_svc;

struct Fidelity {
    exact: usize,
    total: usize,
    mismatches: Vec<String>,
    worst_mean_gap: f64,
}

fn compare(r: &Reference, scores: &[Vec<f64>]) -> Fidelity {
    let mut f = Fidelity {
        exact: 0,
        total: 0,
        mismatches: vec![],
        worst_mean_gap: 0.0,
    };
    for (ci, cfg_scores) in scores.iter().enumerate() {
        for (fi, &acc) in cfg_scores.iter().enumerate() {
            let n_test = r.folds[fi].test.len();
            let ours = correct(acc, n_test);
            let theirs = correct(r.fold_scores[ci][fi], n_test);
            f.total += 1;
            if ours == theirs {
                f.exact += 1;
            } else {
                f.mismatches.push(format!(
                    "config {ci} {} fold {fi}: {ours}/{n_test} vs sklearn {theirs}/{n_test}",
                    r.labels[ci]
                ));
            }
        }
        let mean: f64 = cfg_scores.iter().sum::<f64>() / cfg_scores.len() as f64;
        f.worst_mean_gap = f.worst_mean_gap.max((mean - r.means[ci]).abs());
    }
    f
}

fn check_dataset(json: &str, csv: &str) {
    let r = load_reference(json, csv);
    // the folds must be StratifiedKFold's
    assert_eq!(
        r.folds
            .iter()
            .map(|f| f.test.len() + f.train.len())
            .collect::<Vec<_>>(),
        vec![r.x.rows(); 5]
    );
    let start = std::time::Instant::now();
    let scores = cross_validate_svc(&r.x, &r.y, &r.configs, &r.folds, None).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let acc: Vec<Vec<f64>> = scores
        .iter()
        .map(|row| row.iter().map(|s| s.accuracy).collect())
        .collect();
    let f = compare(&r, &acc);
    println!(
        "{json}: {}/{} (config, fold) accuracies exact, worst mean gap {:.5}, {:.3} s (sklearn sequential {:.2} s)",
        f.exact, f.total, f.worst_mean_gap, seconds, r.sklearn_seconds
    );
    for m in &f.mismatches {
        println!("  mismatch: {m}");
    }
    let min_test = r.folds.iter().map(|f| f.test.len()).min().unwrap();
    assert!(
        f.exact * 100 >= f.total * 99,
        "{json}: only {}/{} exact: {:#?}",
        f.exact,
        f.total,
        f.mismatches
    );
    assert!(
        f.worst_mean_gap <= 1.0 / min_test as f64 + 1e-12,
        "{json}: a mean differs by {} (> one test sample)",
        f.worst_mean_gap
    );
}

#[test]
fn iris_matches_sklearn() {
    check_dataset("svc_cv_iris.json", "iris.csv");
}

#[test]
fn wine_matches_sklearn() {
    check_dataset("svc_cv_wine.json", "wine.csv");
}

/// The single-fit path (own kernel matrix, direct kernel evaluation at
/// prediction) gives the same accuracies as the shared-Gram search.
#[test]
fn single_fit_agrees_with_search() {
    for (json, csv, picks) in [
        (
            "svc_cv_iris.json",
            "iris.csv",
            vec![0usize, 1, 7, 20, 38, 50, 66, 95],
        ),
        (
            "svc_cv_wine.json",
            "wine.csv",
            vec![0usize, 1, 5, 11, 19, 35],
        ),
    ] {
        let r = load_reference(json, csv);
        let configs: Vec<_> = picks.iter().map(|&i| r.configs[i].clone()).collect();
        let scores = cross_validate_svc(&r.x, &r.y, &configs, &r.folds, Some(2)).unwrap();
        for (k, &ci) in picks.iter().enumerate() {
            for (fi, fold) in r.folds.iter().enumerate() {
                let acc = r.score_fold(&r.fit_fold(&configs[k], fold), fold);
                assert_eq!(
                    correct(acc, fold.test.len()),
                    correct(scores[k][fi].accuracy, fold.test.len()),
                    "{json} config {ci} {} fold {fi}",
                    r.labels[ci]
                );
                assert_eq!(
                    correct(acc, fold.test.len()),
                    correct(r.fold_scores[ci][fi], fold.test.len()),
                    "{json} config {ci} {} fold {fi} vs sklearn",
                    r.labels[ci]
                );
            }
        }
    }
}
