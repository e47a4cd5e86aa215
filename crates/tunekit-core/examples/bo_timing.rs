//! Time to propose one point with n = 50, 200, 500, 1000 observations in 6
//! dimensions, cold (no warm start) and warm (hyper-parameters of the fit at
//! n − 1 points), fit included. `cargo run --release --example bo_timing`.
//!
//! The objective is Hartmann-6 on [0, 1]^6; points are the first n of a
//! seeded pseudo-random sequence. Each figure is the median of `REPS` runs
//! (default 3): wall time, and the process's CPU time (both threads), which is
//! what to read when other jobs share the machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rand_mt::Mt64;
use tunekit_core::acquisition::{propose, ProposeRequest};
use tunekit_core::space::{Domain, Param, Space};

fn hartmann6(x: &[f64]) -> f64 {
    const A: [[f64; 6]; 4] = [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ];
    const P: [[f64; 6]; 4] = [
        [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ];
    const ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];
    -(0..4)
        .map(|i| {
            ALPHA[i]
                * (-(0..6)
                    .map(|j| A[i][j] * (x[j] - P[i][j]).powi(2))
                    .sum::<f64>())
                .exp()
        })
        .sum::<f64>()
}

/// CPU time of this process (all threads), from /proc (10 ms resolution); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    // After the command name: field 3 (state) is token 0, so utime (14) and stime (15) are tokens 11 and 12.
    let t: Vec<&str> = after.split_whitespace().collect();
    let num = |i: usize| t.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (num(11) + num(12)) / 100.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let space = Space::new(
        (0..6)
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
    .unwrap();
    let mut rng = Mt64::new(11);
    let all: Vec<Vec<f64>> = (0..1000)
        .map(|_| {
            (0..6)
                .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
                .collect()
        })
        .collect();
    // Maximise −Hartmann6.
    let targets: Vec<f64> = all.iter().map(|x| -hartmann6(x)).collect();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "threads: {}, load average: {}",
        rayon::current_num_threads(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| n | cold propose wall (s) | cold CPU (s) | warm propose wall (s) | warm CPU (s) |");
    println!("|---|---|---|---|---|");
    for &n in &[50usize, 200, 500, 1000] {
        let mut req = ProposeRequest::new(space.clone(), all[..n].to_vec(), targets[..n].to_vec());
        req.seed = 5;
        // Previous proposal's fit (n − 1 points), as a sampler would have stored it.
        let prev = ProposeRequest::new(
            space.clone(),
            all[..n - 1].to_vec(),
            targets[..n - 1].to_vec(),
        );
        let hyper = propose(&prev).unwrap().hyper;
        let time = |r: &ProposeRequest| {
            let runs: Vec<(f64, f64)> = (0..reps)
                .map(|_| {
                    let (s, c) = (Instant::now(), cpu_seconds());
                    std::hint::black_box(propose(r).unwrap());
                    (s.elapsed().as_secs_f64(), cpu_seconds() - c)
                })
                .collect();
            (
                median(runs.iter().map(|r| r.0).collect()),
                median(runs.iter().map(|r| r.1).collect()),
            )
        };
        let cold = time(&req);
        let mut warm_req = req.clone();
        warm_req.warm_start = Some(hyper.clone());
        let warm = time(&warm_req);
        let row = [
            n.to_string(),
            format!("{:.3}", cold.0),
            format!("{:.2}", cold.1),
            format!("{:.3}", warm.0),
            format!("{:.2}", warm.1),
        ];
        println!("| {} |", row.join(" | "));
    }
}
