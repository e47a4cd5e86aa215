//! Quality of the `propose` loop on standard test functions (minimised; the
//! loop maximises their negation): 10 initial Sobol points then one proposal
//! at a time, warm-started, up to 60 evaluations; median simple regret over 10
//! seeds after 30 and 60 evaluations, next to uniform random search.
//!
//! `cargo run --release --example bo_quality`. Environment knobs for tuning:
//! `ACQ` = logei | ei | pi | ucb (default logei), `XI`, `KAPPA`, `SEEDS`,
//! `EVALS`, `INIT`, `CANDIDATES`, `RESTARTS`, `FIT_RESTARTS`, `ONLY` (a function name).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rand_mt::Mt64;
use tunekit_core::acquisition::{propose, Acquisition, ProposeRequest};
use tunekit_core::space::{Domain, Param, Space};

struct Problem {
    name: &'static str,
    bounds: Vec<(f64, f64)>,
    f: fn(&[f64]) -> f64,
    optimum: f64,
}

fn branin(x: &[f64]) -> f64 {
    let (a, b, c, r, s, t) = (
        1.0,
        5.1 / (4.0 * std::f64::consts::PI.powi(2)),
        5.0 / std::f64::consts::PI,
        6.0,
        10.0,
        1.0 / (8.0 * std::f64::consts::PI),
    );
    a * (x[1] - b * x[0] * x[0] + c * x[0] - r).powi(2) + s * (1.0 - t) * x[0].cos() + s
}

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

fn ackley(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let s1 = x.iter().map(|v| v * v).sum::<f64>() / n;
    let s2 = x
        .iter()
        .map(|v| (std::f64::consts::TAU * v).cos())
        .sum::<f64>()
        / n;
    -20.0 * (-0.2 * s1.sqrt()).exp() - s2.exp() + 20.0 + std::f64::consts::E
}

fn rosenbrock(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

fn levy(x: &[f64]) -> f64 {
    use std::f64::consts::PI;
    let w: Vec<f64> = x.iter().map(|v| 1.0 + (v - 1.0) / 4.0).collect();
    let d = w.len();
    let mut s = (PI * w[0]).sin().powi(2);
    for wi in &w[..d - 1] {
        s += (wi - 1.0).powi(2) * (1.0 + 10.0 * (PI * wi + 1.0).sin().powi(2));
    }
    s + (w[d - 1] - 1.0).powi(2) * (1.0 + (2.0 * PI * w[d - 1]).sin().powi(2))
}

fn styblinski_tang(x: &[f64]) -> f64 {
    0.5 * x
        .iter()
        .map(|v| v.powi(4) - 16.0 * v * v + 5.0 * v)
        .sum::<f64>()
}

fn problems() -> Vec<Problem> {
    vec![
        Problem {
            name: "branin",
            bounds: vec![(-5.0, 10.0), (0.0, 15.0)],
            f: branin,
            optimum: 0.397_887_357_729_738,
        },
        Problem {
            name: "hartmann6",
            bounds: vec![(0.0, 1.0); 6],
            f: hartmann6,
            optimum: -3.322_368_011_391_339,
        },
        Problem {
            name: "ackley5",
            bounds: vec![(-32.768, 32.768); 5],
            f: ackley,
            optimum: 0.0,
        },
        Problem {
            name: "rosenbrock4",
            bounds: vec![(-5.0, 10.0); 4],
            f: rosenbrock,
            optimum: 0.0,
        },
        Problem {
            name: "levy6",
            bounds: vec![(-10.0, 10.0); 6],
            f: levy,
            optimum: 0.0,
        },
        Problem {
            name: "styblinski_tang4",
            bounds: vec![(-5.0, 5.0); 4],
            f: styblinski_tang,
            optimum: -39.166_165_703_771_41 * 4.0,
        },
    ]
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Best-so-far regret after every evaluation of one BO run.
fn bo_run(
    p: &Problem,
    space: &Space,
    seed: u64,
    evals: usize,
    init: usize,
    acq: Acquisition,
) -> Vec<f64> {
    let mut points: Vec<Vec<f64>> = Vec::new();
    let mut targets: Vec<f64> = Vec::new();
    let mut hyper: Option<Vec<f64>> = None;
    let mut trace = Vec::with_capacity(evals);
    let mut best = f64::INFINITY;
    while points.len() < evals {
        let mut req = ProposeRequest::new(space.clone(), points.clone(), targets.clone());
        req.seed = seed;
        req.acquisition = acq;
        req.warm_start = hyper.clone();
        req.n_candidates = env("CANDIDATES", req.n_candidates);
        req.n_restarts = env("RESTARTS", req.n_restarts);
        req.fit_restarts = env("FIT_RESTARTS", req.fit_restarts);
        if points.len() < init {
            // The initial design: the seeded Sobol points (propose falls back to them
            // with fewer than 2 observations).
            let mut r0 = req.clone();
            r0.points.clear();
            r0.targets.clear();
            r0.n = init;
            let sobol = propose(&r0).unwrap().points;
            for v in sobol.into_iter().take(init) {
                let y = (p.f)(&v);
                best = best.min(y);
                trace.push(best - p.optimum);
                points.push(v);
                targets.push(-y);
            }
            continue;
        }
        let prop = propose(&req).unwrap();
        if !prop.hyper.is_empty() {
            hyper = Some(prop.hyper.clone());
        }
        for v in prop.points {
            let y = (p.f)(&v);
            best = best.min(y);
            trace.push(best - p.optimum);
            points.push(v);
            targets.push(-y);
        }
    }
    trace
}

fn random_run(p: &Problem, seed: u64, evals: usize) -> Vec<f64> {
    let mut rng = Mt64::new(seed.wrapping_mul(7919) + 1);
    let mut best = f64::INFINITY;
    (0..evals)
        .map(|_| {
            let x: Vec<f64> = p
                .bounds
                .iter()
                .map(|&(lo, hi)| {
                    lo + (hi - lo) * ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
                })
                .collect();
            best = best.min((p.f)(&x));
            best - p.optimum
        })
        .collect()
}

fn main() {
    let seeds: u64 = env("SEEDS", 10);
    let evals: usize = env("EVALS", 60);
    let init: usize = env("INIT", 10);
    let acq = match std::env::var("ACQ").unwrap_or_default().as_str() {
        "ei" => Acquisition::Ei { xi: env("XI", 0.0) },
        "pi" => Acquisition::Pi { xi: env("XI", 0.0) },
        "ucb" => Acquisition::Ucb {
            kappa: env("KAPPA", 2.0),
        },
        _ => Acquisition::LogEi { xi: env("XI", 0.0) },
    };
    let only = std::env::var("ONLY").ok();
    let mid = (evals / 2).max(1);
    println!(
        "acquisition {acq:?}, {seeds} seeds, {evals} evaluations ({init} initial Sobol points)"
    );
    println!("| function | BO median regret @{mid} | BO median regret @{evals} | random @{mid} | random @{evals} | BO s/run |");
    println!("|---|---|---|---|---|---|");
    for p in problems() {
        if only.as_deref().is_some_and(|o| o != p.name) {
            continue;
        }
        let space = Space::new(
            p.bounds
                .iter()
                .enumerate()
                .map(|(i, &(low, high))| Param {
                    name: format!("x{i}"),
                    domain: Domain::Float {
                        low,
                        high,
                        log: false,
                        step: None,
                    },
                })
                .collect(),
        )
        .unwrap();
        let t = Instant::now();
        let runs: Vec<Vec<f64>> = (0..seeds)
            .map(|s| bo_run(&p, &space, s, evals, init, acq))
            .collect();
        let secs = t.elapsed().as_secs_f64() / seeds as f64;
        let rand: Vec<Vec<f64>> = (0..seeds).map(|s| random_run(&p, s, evals)).collect();
        let at = |rs: &[Vec<f64>], k: usize| median(rs.iter().map(|r| r[k - 1]).collect());
        println!(
            "| {} | {:.4e} | {:.4e} | {:.4e} | {:.4e} | {:.2} |",
            p.name,
            at(&runs, mid),
            at(&runs, evals),
            at(&rand, mid),
            at(&rand, evals),
            secs
        );
    }
}
