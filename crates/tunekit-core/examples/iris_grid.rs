//! The native part of `bench/iris_grid_breakdown.mjs` (issue 11, item 6):
//! `cross_validate_svc` on iris with the grid `C ∈ {0.1, 1, 10, 100}` ×
//! `kernel ∈ {linear, rbf}` × `gamma ∈ {scale, auto}`, `StratifiedKFold(5)`.
//!
//! `cargo run --release -p tunekit-core --example iris_grid [-- RUNS]`: median
//! and p90 wall time over RUNS calls (default 500) with the global pool and on
//! one thread, and a checksum of the scores (to compare builds: it must not
//! change). `IRIS_GRID_ONLY=pool|one` runs one of the two (for `perf record`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::load_csv;
use tunekit_core::model_selection::search::cross_validate_svc;
use tunekit_core::model_selection::stratified_kfold::StratifiedKFold;
use tunekit_core::svm::{Gamma, Kernel, SvcParams};

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    if std::env::var("IRIS_GRID_ITERS").is_ok() {
        iterations();
        return;
    }
    let (x, y) = load_csv("iris.csv");
    let only = std::env::var("IRIS_GRID_ONLY").ok();
    if only.as_deref() == Some("refit") {
        // the refit of the bench's best candidate (C=1, linear) on all 150 rows
        let p = SvcParams {
            c: 1.0,
            kernel: Kernel::Linear,
            ..SvcParams::default()
        };
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(tunekit_core::svm::fit(&p, &x, &y).unwrap());
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "refit: median {:.3} ms, min {:.3} ms",
            times[runs / 2],
            times[0]
        );
        return;
    }
    let folds = StratifiedKFold::new(5).split(&y).unwrap();
    let mut configs = Vec::new();
    for c in [0.1, 1.0, 10.0, 100.0] {
        for kernel in [Kernel::Linear, Kernel::Rbf] {
            for gamma in [Gamma::Scale, Gamma::Auto] {
                configs.push(SvcParams {
                    c,
                    kernel,
                    gamma,
                    ..SvcParams::default()
                });
            }
        }
    }
    if only.as_deref() == Some("pool-refit") {
        // the search and the refit of its best candidate, as GridSearchCV.fit calls them
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(
                    tunekit_core::model_selection::search::cross_validate_svc_refit(
                        &x, &y, &configs, &folds, None,
                    )
                    .unwrap(),
                );
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "pool-refit: median {:.3} ms, min {:.3} ms",
            times[runs / 2],
            times[0]
        );
        return;
    }
    for (name, jobs) in [("pool", None), ("one", Some(1))] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let pool1 = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let call = || {
            match jobs {
                // a prebuilt one-thread pool, so pool start-up is not timed
                Some(_) => pool1.install(|| cross_validate_svc(&x, &y, &configs, &folds, None)),
                None => cross_validate_svc(&x, &y, &configs, &folds, None),
            }
            .unwrap()
        };
        let first = call();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(call());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let q = |p: f64| times[((p * runs as f64).ceil() as usize).clamp(1, runs) - 1];
        let mut sum = 0.0;
        let mut converged = true;
        for row in &first {
            for s in row {
                sum += s.accuracy;
                converged &= s.converged;
            }
        }
        println!(
            "{name}: median {:.3} ms, p90 {:.3} ms, min {:.3} ms over {runs} runs; sum of accuracies {sum:.17}, converged {converged}",
            q(0.5),
            q(0.9),
            times[0]
        );
    }
}

/// Iterations of every (config, fold) fit (run with IRIS_GRID_ITERS=1).
pub fn iterations() {
    let (x, y) = load_csv("iris.csv");
    let folds = StratifiedKFold::new(5).split(&y).unwrap();
    let mut total = 0;
    for c in [0.1, 1.0, 10.0, 100.0] {
        for kernel in [Kernel::Linear, Kernel::Rbf] {
            for gamma in [Gamma::Scale, Gamma::Auto] {
                let p = SvcParams {
                    c,
                    kernel,
                    gamma,
                    ..SvcParams::default()
                };
                let mut its = Vec::new();
                for f in &folds {
                    let m = tunekit_core::svm::fit(
                        &p,
                        &x.select_rows(&f.train).unwrap(),
                        &y.select(&f.train).unwrap(),
                    )
                    .unwrap();
                    its.push(m.n_iter().to_vec());
                    total += m.n_iter().iter().sum::<u64>();
                }
                println!("C={c} {kernel:?} {gamma:?}: {its:?}");
            }
        }
    }
    println!("total iterations {total}");
}
