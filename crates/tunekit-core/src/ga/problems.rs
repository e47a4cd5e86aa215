//! Standard test problems, for tests, examples and benchmarks.
//!
//! ZDT1–3: E. Zitzler, K. Deb, L. Thiele, *Comparison of Multiobjective
//! Evolutionary Algorithms: Empirical Results*, Evolutionary Computation 8(2),
//! 2000. Variables in [0, 1]; both objectives minimised.

use crate::space::{Domain, Param, Space};

/// `n` float parameters `x0, x1, …` on `[low, high]`.
pub fn box_space(n: usize, low: f64, high: f64) -> Result<Space, crate::space::SpaceError> {
    Space::new(
        (0..n)
            .map(|i| Param {
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
}

/// Σ x².
pub fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

/// 10·n + Σ (x² − 10 cos 2πx); minimum 0 at the origin (usual box ±5.12).
pub fn rastrigin(x: &[f64]) -> f64 {
    10.0 * x.len() as f64
        + x.iter()
            .map(|v| v * v - 10.0 * (std::f64::consts::TAU * v).cos())
            .sum::<f64>()
}

fn zdt_g(x: &[f64]) -> f64 {
    let rest = &x[1.min(x.len())..];
    1.0 + 9.0 * rest.iter().sum::<f64>() / rest.len().max(1) as f64
}

/// ZDT1: convex front f2 = 1 − √f1.
pub fn zdt1(x: &[f64]) -> [f64; 2] {
    let f1 = x.first().copied().unwrap_or(0.0);
    let g = zdt_g(x);
    [f1, g * (1.0 - (f1 / g).sqrt())]
}

/// ZDT2: concave front f2 = 1 − f1².
pub fn zdt2(x: &[f64]) -> [f64; 2] {
    let f1 = x.first().copied().unwrap_or(0.0);
    let g = zdt_g(x);
    [f1, g * (1.0 - (f1 / g).powi(2))]
}

/// ZDT3: disconnected front f2 = 1 − √f1 − f1 sin(10πf1).
pub fn zdt3(x: &[f64]) -> [f64; 2] {
    let f1 = x.first().copied().unwrap_or(0.0);
    let g = zdt_g(x);
    let h = 1.0 - (f1 / g).sqrt() - (f1 / g) * (10.0 * std::f64::consts::PI * f1).sin();
    [f1, g * h]
}
