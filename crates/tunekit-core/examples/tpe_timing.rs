//! The native part of `bench/tpe_speed.mjs` (issue 13): one multivariate TPE
//! proposal on the bench's mixed 6-parameter space (three floats, a log-scale
//! float, an int, a 4-way categorical) with n random COMPLETE trials.
//!
//! `cargo run --release -p tunekit-core --example tpe_timing [-- N RUNS]`
//! (defaults 1000 and 200): median and minimum wall time of `propose`, and a
//! checksum of the proposals (to compare builds: it must not change).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use tunekit_core::random::FastRng;
use tunekit_core::space::{Domain, Param, Space};
use tunekit_core::tpe::{propose, Outcome, TpeOptions};

fn float(name: &str, low: f64, high: f64, log: bool) -> Param {
    Param {
        name: name.into(),
        domain: Domain::Float {
            low,
            high,
            log,
            step: None,
        },
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(200);
    let space = Space::new(vec![
        float("x", -5.0, 5.0, false),
        float("y", -5.0, 5.0, false),
        float("z", 0.0, 1.0, false),
        float("lr", 1e-5, 1e-1, true),
        Param {
            name: "k".into(),
            domain: Domain::Int {
                low: 1,
                high: 32,
                log: false,
                step: 1,
            },
        },
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 4 },
        },
    ])
    .unwrap();
    let mut rng = FastRng::new(7);
    let mut points = Vec::with_capacity(n * 6);
    let mut outcomes = Vec::with_capacity(n);
    for _ in 0..n {
        let x = -5.0 + 10.0 * rng.uniform();
        let y = -5.0 + 10.0 * rng.uniform();
        let z = rng.uniform();
        let lr = (1e-5f64.ln() + (1e-1f64.ln() - 1e-5f64.ln()) * rng.uniform()).exp();
        let k = (1.0 + (32.0 * rng.uniform()).floor()).min(32.0);
        let c = (4.0 * rng.uniform()).floor().min(3.0);
        points.extend_from_slice(&[x, y, z, lr, k, c]);
        outcomes.push(Outcome::Complete(vec![
            x * x + y * y + z + lr.ln().abs() + k + c,
        ]));
    }
    let options = TpeOptions::default();
    let mut times = Vec::with_capacity(runs);
    let mut checksum = 0.0;
    for r in 0..runs {
        let t = Instant::now();
        let p = propose(&space, &points, &outcomes, &[], &options, r as u64).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        checksum += p.point.iter().sum::<f64>();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "n={n}: median {:.3} ms, min {:.3} ms over {runs} runs; checksum {checksum:.12}",
        times[runs / 2],
        times[0]
    );
}
