//! SVM timings (benchmark harness, not tests):
//! `cargo run --release -p tunekit-core --example svc_timing [-- NAME…]`, where NAME is one of
//! the functions called from `main` (all of them by default).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{cpu_seconds, load_csv, load_reference};
use tunekit_core::data::{Labels, Matrix};
use tunekit_core::model_selection::search::cross_validate_svc;
use tunekit_core::model_selection::Fold;
use tunekit_core::svm::{fit, Gamma, Kernel, SvcParams};

fn per_config_costs() {
    for (json, csv) in [
        ("svc_cv_iris.json", "iris.csv"),
        ("svc_cv_wine.json", "wine.csv"),
    ] {
        let r = load_reference(json, csv);
        let mut rows = Vec::new();
        for (ci, cfg) in r.configs.iter().enumerate() {
            let t = Instant::now();
            let mut iters = 0;
            for fold in &r.folds {
                let m = r.fit_fold(cfg, fold);
                iters += m.n_iter().iter().sum::<u64>();
            }
            rows.push((t.elapsed().as_secs_f64(), iters, ci));
        }
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (s, it, ci) in rows.iter().take(8) {
            println!("{json} {:.3}s {it} iters {}", s, r.labels[*ci]);
        }
    }
}

fn time_reference(json: &str, csv: &str) {
    let r = load_reference(json, csv);
    for jobs in [None, Some(1)] {
        let t = Instant::now();
        let c = cpu_seconds();
        let scores = cross_validate_svc(&r.x, &r.y, &r.configs, &r.folds, jobs).unwrap();
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c;
        println!(
            "{json}: {} configs x {} folds in {:.3} s wall, {:.3} cpu-s (n_jobs {:?}); sklearn sequential {:.2} s; all converged: {}",
            r.configs.len(),
            r.folds.len(),
            s,
            cpu,
            jobs,
            r.sklearn_seconds,
            scores.iter().flatten().all(|f| f.converged)
        );
    }
}

fn reference_grids() {
    time_reference("svc_cv_iris.json", "iris.csv");
    time_reference("svc_cv_wine.json", "wine.csv");
}

/// StratifiedKFold(n_splits, shuffle=False) test folds, as scikit-learn 1.2 assigns them.
pub fn stratified_kfold(codes: &[u32], n_splits: usize) -> Vec<Fold> {
    // classes in sorted order, y encoded by order of first appearance (sklearn)
    let mut classes: Vec<u32> = codes.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let y_enc: Vec<usize> = codes
        .iter()
        .map(|c| classes.binary_search(c).unwrap())
        .collect();
    // re-encode by first appearance
    let mut first = vec![usize::MAX; classes.len()];
    for (i, &c) in y_enc.iter().enumerate() {
        if first[c] == usize::MAX {
            first[c] = i;
        }
    }
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by_key(|&c| first[c]);
    let mut rank = vec![0; classes.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    let y_ord: Vec<usize> = y_enc.iter().map(|&c| rank[c]).collect();
    let n_classes = classes.len();
    let mut counts = vec![0usize; n_classes];
    for &c in &y_ord {
        counts[c] += 1;
    }
    // allocation: y_order = sort(y_encoded); allocation[i, k] = count of class i in fold k
    let mut sorted = y_ord.clone();
    sorted.sort_unstable();
    let mut alloc = vec![vec![0usize; n_splits]; n_classes];
    for (k, fold_counts) in (0..n_splits).map(|k| (k, sorted.iter().skip(k).step_by(n_splits))) {
        for &c in fold_counts {
            alloc[c][k] += 1;
        }
    }
    let mut test_fold = vec![0usize; codes.len()];
    for (c, class_alloc) in alloc.iter().enumerate() {
        let idx: Vec<usize> = (0..codes.len()).filter(|&i| y_ord[i] == c).collect();
        let mut folds_for_class = Vec::new();
        for (k, &a) in class_alloc.iter().enumerate() {
            folds_for_class.extend(std::iter::repeat_n(k, a));
        }
        for (j, &i) in idx.iter().enumerate() {
            test_fold[i] = folds_for_class[j];
        }
    }
    (0..n_splits)
        .map(|k| Fold {
            train: (0..codes.len()).filter(|&i| test_fold[i] != k).collect(),
            test: (0..codes.len()).filter(|&i| test_fold[i] == k).collect(),
        })
        .collect()
}

/// The local fold helper below must give scikit-learn's folds (checked before timing).
fn stratified_kfold_reproduces_reference_folds() {
    for (json, csv) in [
        ("svc_cv_iris.json", "iris.csv"),
        ("svc_cv_wine.json", "wine.csv"),
    ] {
        let r = load_reference(json, csv);
        let ours = stratified_kfold(r.y.codes(), 5);
        assert_eq!(ours, r.folds, "{json}");
    }
}

fn digits_rbf_grid() {
    let (x, y) = load_csv("digits.csv");
    let folds = stratified_kfold(y.codes(), 5);
    let mut configs = Vec::new();
    for c in [0.1, 1.0, 10.0, 100.0, 1000.0] {
        for g in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] {
            configs.push(SvcParams {
                c,
                kernel: Kernel::Rbf,
                gamma: Gamma::Value(g),
                ..SvcParams::default()
            });
        }
    }
    let t = Instant::now();
    let c = cpu_seconds();
    let scores = cross_validate_svc(&x, &y, &configs, &folds, None).unwrap();
    let s = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - c;
    let best = scores
        .iter()
        .enumerate()
        .map(|(i, row)| {
            (
                row.iter().map(|f| f.accuracy).sum::<f64>() / row.len() as f64,
                i,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    println!(
        "digits {}x{}: 25 rbf configs x 5 folds in {:.3} s wall, {:.3} cpu-s; best mean accuracy {:.4} (C={}, gamma={:?})",
        x.rows(),
        x.cols(),
        s,
        cpu,
        best.0,
        configs[best.1].c,
        configs[best.1].gamma
    );
}

/// Writes per-fit details (iterations, intercepts, support) to `$SVC_DUMP` for a
/// side-by-side comparison with scikit-learn.
fn dump_fit_details() {
    let Ok(path) = std::env::var("SVC_DUMP") else {
        return;
    };
    let mut out = serde_json::Map::new();
    for (name, json, csv) in [
        ("iris", "svc_cv_iris.json", "iris.csv"),
        ("wine", "svc_cv_wine.json", "wine.csv"),
    ] {
        let r = load_reference(json, csv);
        let mut rows = Vec::new();
        for cfg in &r.configs {
            let mut row = Vec::new();
            for fold in &r.folds {
                let m = r.fit_fold(cfg, fold);
                let acc = r.score_fold(&m, fold);
                row.push(serde_json::json!({
                    "acc": acc, "n_iter": m.n_iter(), "intercept": m.intercepts(),
                    "n_support": m.n_support(), "support": m.support(),
                }));
            }
            rows.push(serde_json::Value::Array(row));
        }
        out.insert(name.to_string(), serde_json::Value::Array(rows));
    }
    std::fs::write(path, serde_json::Value::Object(out).to_string()).unwrap();
}

fn task_costs() {
    let r = load_reference("svc_cv_wine.json", "wine.csv");
    let scores = cross_validate_svc(&r.x, &r.y, &r.configs, &r.folds, Some(1)).unwrap();
    let mut all: Vec<(f64, usize, usize)> = scores
        .iter()
        .enumerate()
        .flat_map(|(c, row)| {
            row.iter()
                .enumerate()
                .map(move |(f, s)| (s.fit_seconds, c, f))
        })
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = all.iter().map(|a| a.0).sum();
    println!("total fit seconds {total:.3}");
    for (s, c, f) in all.iter().take(12) {
        println!("{s:.3} s  config {c} {} fold {f}", r.labels[*c]);
    }
}

fn one_thread_wine() {
    let r = load_reference("svc_cv_wine.json", "wine.csv");
    let t = Instant::now();
    cross_validate_svc(&r.x, &r.y, &r.configs, &r.folds, Some(1)).unwrap();
    println!("wine one thread {:.3} s", t.elapsed().as_secs_f64());
}

fn one_thread_iris() {
    let r = load_reference("svc_cv_iris.json", "iris.csv");
    let t = Instant::now();
    cross_validate_svc(&r.x, &r.y, &r.configs, &r.folds, Some(1)).unwrap();
    println!("iris one thread {:.3} s", t.elapsed().as_secs_f64());
}

/// Min-of-5 time of a few slow (ill-conditioned) wine fits, one thread: a
/// stable figure for comparing solver changes.
fn solver_bench() {
    let r = load_reference("svc_cv_wine.json", "wine.csv");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let picks = [(27usize, 0usize), (15, 3), (26, 3), (6, 3)];
    let mut best = f64::INFINITY;
    let reps: usize = std::env::var("SOLVER_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    for _ in 0..reps {
        let t = Instant::now();
        let c = cpu_seconds();
        let mut iters = 0u64;
        for &(c, f) in &picks {
            let fold = &r.folds[f];
            let (x, y) = (
                r.x.select_rows(&fold.train).unwrap(),
                r.y.select(&fold.train).unwrap(),
            );
            let m = pool.install(|| fit(&r.configs[c], &x, &y).unwrap());
            iters += m.n_iter().iter().sum::<u64>();
        }
        let wall = t.elapsed().as_secs_f64();
        let s = cpu_seconds() - c;
        best = best.min(s);
        println!(
            "{s:.3} cpu-s ({wall:.3} s wall), {iters} iterations, {:.1} ns/iteration",
            s * 1e9 / iters as f64
        );
    }
    println!("best {best:.3} cpu-s");
}

/// The training rows of digits' first stratified fold.
fn digits_first_fold() -> (Matrix, Labels) {
    let (x, y) = load_csv("digits.csv");
    let folds = stratified_kfold(y.codes(), 5);
    let fold = &folds[0];
    (
        x.select_rows(&fold.train).unwrap(),
        y.select(&fold.train).unwrap(),
    )
}

fn digits_iterations() {
    let (xt, yt) = digits_first_fold();
    for c in [0.1, 1000.0] {
        for g in [1e-4, 1e-2] {
            let p = SvcParams {
                c,
                kernel: Kernel::Rbf,
                gamma: Gamma::Value(g),
                ..SvcParams::default()
            };
            let t = Instant::now();
            let m = fit(&p, &xt, &yt).unwrap();
            println!(
                "C={c} gamma={g}: {} iterations, {:.3} s",
                m.n_iter().iter().sum::<u64>(),
                t.elapsed().as_secs_f64()
            );
        }
    }
}

/// One digits fit (for instruction counts under cachegrind).
fn digits_one_fit() {
    let (xt, yt) = digits_first_fold();
    let p = SvcParams {
        c: 10.0,
        kernel: Kernel::Rbf,
        gamma: Gamma::Value(1e-3),
        ..SvcParams::default()
    };
    let m = fit(&p, &xt, &yt).unwrap();
    println!("{} iterations", m.n_iter().iter().sum::<u64>());
}

/// A small digits search (for instruction counts under cachegrind).
fn digits_small_search() {
    let (x, y) = load_csv("digits.csv");
    let folds = stratified_kfold(y.codes(), 5);
    let configs: Vec<SvcParams> = [(10.0, 1e-3), (1000.0, 1e-2)]
        .iter()
        .map(|&(c, g)| SvcParams {
            c,
            kernel: Kernel::Rbf,
            gamma: Gamma::Value(g),
            ..SvcParams::default()
        })
        .collect();
    let r = cross_validate_svc(&x, &y, &configs, &folds, Some(1)).unwrap();
    println!(
        "{:?}",
        r.iter()
            .map(|row| row.iter().map(|s| s.accuracy).sum::<f64>() / 5.0)
            .collect::<Vec<_>>()
    );
}

fn main() {
    let all: [(&str, fn()); 12] = [
        ("per_config_costs", per_config_costs as fn()),
        ("reference_grids", reference_grids as fn()),
        (
            "stratified_kfold_reproduces_reference_folds",
            stratified_kfold_reproduces_reference_folds as fn(),
        ),
        ("digits_rbf_grid", digits_rbf_grid as fn()),
        ("dump_fit_details", dump_fit_details as fn()),
        ("task_costs", task_costs as fn()),
        ("one_thread_wine", one_thread_wine as fn()),
        ("one_thread_iris", one_thread_iris as fn()),
        ("solver_bench", solver_bench as fn()),
        ("digits_iterations", digits_iterations as fn()),
        ("digits_one_fit", digits_one_fit as fn()),
        ("digits_small_search", digits_small_search as fn()),
    ];
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for (name, f) in all {
        if wanted.is_empty() || wanted.iter().any(|w| w == name) {
            println!("== {name}");
            f();
        }
    }
}
