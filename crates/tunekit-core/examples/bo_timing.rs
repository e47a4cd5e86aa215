//! Time to propose one point with n = 50, 200, 500, 1000 observations in 6
//! dimensions, cold (no warm start) and warm (hyper-parameters of the fit at
//! n − 1 points), fit included. `cargo run --release --example bo_timing`.
//!
//! The objective is Hartmann-6 on [0, 1]^6; points are the first n of a
//! seeded pseudo-random sequence. Each figure is the median of `REPS` runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rand_mt::Mt64;
use tunekit_core::acquisition::{bo_gp_params, propose, ProposeRequest};
use tunekit_core::gp;
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
    println!("threads: {}", rayon::current_num_threads());
    println!("| n | cold propose (s) | cold fit (s) | warm propose (s) | warm fit (s) |");
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
        let x: Vec<f64> = all[..n].iter().flatten().copied().collect();
        let mean = targets[..n].iter().sum::<f64>() / n as f64;
        let sd = (targets[..n].iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let y: Vec<f64> = targets[..n].iter().map(|t| (t - mean) / sd).collect();
        let mut row = vec![n.to_string()];
        for warm in [false, true] {
            let mut r = req.clone();
            r.warm_start = warm.then(|| hyper.clone());
            let t_prop = median(
                (0..reps)
                    .map(|_| {
                        let s = Instant::now();
                        std::hint::black_box(propose(&r).unwrap());
                        s.elapsed().as_secs_f64()
                    })
                    .collect(),
            );
            let params = bo_gp_params(
                &space,
                r.kernel,
                r.seed,
                r.fit_restarts,
                r.warm_start.as_deref(),
                n,
            );
            let t_fit = median(
                (0..reps)
                    .map(|_| {
                        let s = Instant::now();
                        std::hint::black_box(gp::fit(&params, &x, n, 6, &y).unwrap());
                        s.elapsed().as_secs_f64()
                    })
                    .collect(),
            );
            row.push(format!("{t_prop:.3}"));
            row.push(format!("{t_fit:.3}"));
        }
        println!("| {} |", row.join(" | "));
    }
}
