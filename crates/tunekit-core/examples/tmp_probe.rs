#![allow(clippy::unwrap_used)]
use std::time::Instant;
use rand_mt::Mt64;
use tunekit_core::gp::{self, GpParams, KernelKind, Optimizer};
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let d = 6;
    let mut rng = Mt64::new(11);
    let x: Vec<f64> = (0..n * d).map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64).collect();
    let y: Vec<f64> = x.chunks(d).map(|r| (r[0] * 6.0).sin() + r[1] * r[2] + 0.3 * (r[3] * 9.0).cos()).collect();
    let p = GpParams { kernel: KernelKind::Matern52, length_scale: vec![0.5; d], variance: 1.0, alpha: 1e-8, noise: Some(1e-3), normalize_y: true, optimizer: None, space: None };
    let g = gp::fit(&p, &x, n, d, &y).unwrap();
    let th = g.kernel_params();
    let mut q0 = p.clone();
    q0.optimizer = Some(Optimizer { restarts: 0, max_iter: 100, priors: true, bounds_variance: (1e-2, 1e2), bounds_length_scale: (1e-2, 1e2), bounds_noise: (1e-6, 1.0), seed: 1, ..Optimizer::default() });
    let g0 = gp::fit(&q0, &x[..(n - 1) * d], n - 1, d, &y[..n - 1]).unwrap();
    let s = Instant::now();
    for _ in 0..5 { std::hint::black_box(g.log_marginal_likelihood_and_gradient(&th).unwrap()); }
    println!("lml+grad eval: {:.1} ms", s.elapsed().as_secs_f64() * 200.0);
    for (restarts, max_iter) in [(0usize, 20usize), (1, 20), (0, 100)] {
        let mut q = p.clone();
        q.length_scale = g0.length_scale(); q.variance = g0.variance(); q.noise = g0.noise();
        q.optimizer = Some(Optimizer { restarts, max_iter, priors: true, bounds_variance: (1e-2, 1e2), bounds_length_scale: (1e-2, 1e2), bounds_noise: (1e-6, 1.0), seed: 1, ftol: std::env::var("FTOL").ok().and_then(|s| s.parse().ok()).unwrap_or(1e-9), initial_step: std::env::var("STEP").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0) });
        let s = Instant::now();
        let g = gp::fit(&q, &x, n, d, &y).unwrap();
        println!("restarts {restarts} max_iter {max_iter}: {:.3}s lml {:.4}", s.elapsed().as_secs_f64(), g.log_marginal_likelihood());
    }
}
