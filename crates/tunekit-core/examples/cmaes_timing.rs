//! Native cost of CMA-ES's steps as `CmaEsSampler` makes them: one `ask`
//! (an eigendecomposition of C and one draw) and one `tell` (an update with
//! λ solutions) from a state a few generations into a run on an ellipsoid,
//! for full and separable covariances in several dimensions.
//!
//! `cargo run --release -p tunekit-core --example cmaes_timing [-- RUNS]`
//! (default 50): median wall time per call, in microseconds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use tunekit_core::cmaes::{self, CmaOptions, CmaState};
use tunekit_core::space::{Domain, Param, Space};

fn space(n: usize) -> Space {
    Space::new(
        (0..n)
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
    .unwrap()
}

fn ellipsoid(u: &[f64]) -> f64 {
    let n = u.len();
    u.iter()
        .enumerate()
        .map(|(i, u)| 10f64.powf(3.0 * i as f64 / (n - 1) as f64) * (u - 0.4).powi(2))
        .sum()
}

fn generation(s: &Space, o: &CmaOptions, state: &CmaState) -> (Vec<f64>, Vec<f64>) {
    let mut xs = Vec::new();
    let mut values = Vec::new();
    for k in 0..state.popsize as u64 {
        let p = cmaes::ask(s, o, state, 1, k).unwrap();
        values.push(ellipsoid(&p.values));
        xs.extend(p.x);
    }
    (xs, values)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    println!("| n | covariance | λ | ask (µs) | tell (µs) |");
    println!("|---|---|---|---|---|");
    for (n, separable) in [
        (10, false),
        (40, false),
        (40, true),
        (100, false),
        (100, true),
    ] {
        let s = space(n);
        let o = CmaOptions {
            separable,
            ..CmaOptions::default()
        };
        let mut state = cmaes::init(&s, &o, None, 1).unwrap();
        for _ in 0..5 {
            let (xs, values) = generation(&s, &o, &state);
            state = cmaes::tell(&s, &o, &state, &xs, &values, 1).unwrap().state;
        }
        let ask: Vec<f64> = (0..runs as u64)
            .map(|k| {
                let t = Instant::now();
                std::hint::black_box(cmaes::ask(&s, &o, &state, 1, k).unwrap());
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        let (xs, values) = generation(&s, &o, &state);
        let tell: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(cmaes::tell(&s, &o, &state, &xs, &values, 1).unwrap());
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        println!(
            "| {n} | {} | {} | {:.0} | {:.0} |",
            if separable { "separable" } else { "full" },
            state.popsize,
            median(ask),
            median(tell)
        );
    }
}
