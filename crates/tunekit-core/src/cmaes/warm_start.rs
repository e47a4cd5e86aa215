//! Warm starting (WS-CMA-ES: Nomura, Watanabe, Akimoto, Ozaki & Onishi,
//! *Warm Starting CMA-ES for Hyperparameter Optimization*, AAAI 2021), as
//! the `cmaes` package's `get_warm_start_mgd`: the best γ of the source
//! task's solutions give a Gaussian N(μ, Σ) with Σ = α² I + (1/γN) Σᵢ xᵢxᵢᵀ − μμᵀ;
//! the run starts at μ with σ = det(Σ)^{1/(2n)} and C = Σ / det(Σ)^{1/n}.
//! The determinant is taken from the eigenvalues (as a log), so it neither
//! under- nor overflows in many dimensions.

use nalgebra::{DMatrix, SymmetricEigen};

use super::CmaError;

/// Share of the source solutions kept (γ).
pub const GAMMA: f64 = 0.1;
/// Prior standard deviation added to Σ (α).
pub const ALPHA: f64 = 0.1;

/// The warm start of a run: its mean, step size and covariance (n × n row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct WarmStart {
    pub mean: Vec<f64>,
    pub sigma: f64,
    pub cov: Vec<f64>,
}

/// The warm start from source solutions `points` (rows of `n` unit-cube
/// coordinates) and their minimised `values`.
pub fn warm_start(points: &[Vec<f64>], values: &[f64], n: usize) -> Result<WarmStart, CmaError> {
    let count = values.len();
    let keep = (count as f64 * GAMMA).floor() as usize;
    if keep < 1 {
        return Err(CmaError::WarmStartTooFew { got: count });
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let top: Vec<&Vec<f64>> = order[..keep].iter().map(|&i| &points[i]).collect();
    let k = keep as f64;
    let mean: Vec<f64> = (0..n)
        .map(|j| top.iter().map(|x| x[j]).sum::<f64>() / k)
        .collect();
    let sigma_mat = DMatrix::from_fn(n, n, |i, j| {
        let prior = if i == j { ALPHA * ALPHA } else { 0.0 };
        prior + top.iter().map(|x| x[i] * x[j]).sum::<f64>() / k - mean[i] * mean[j]
    });
    let eig = SymmetricEigen::new(sigma_mat.clone());
    let log_det: f64 = eig
        .eigenvalues
        .iter()
        .map(|e| e.max(f64::MIN_POSITIVE).ln())
        .sum();
    let sigma = (log_det / (2.0 * n as f64)).exp();
    let scale = (log_det / n as f64).exp();
    if !(sigma.is_finite() && sigma > 0.0 && scale.is_finite() && scale > 0.0) {
        return Err(CmaError::WarmStartDegenerate);
    }
    let cov = (0..n * n)
        .map(|k| sigma_mat[(k / n, k % n)] / scale)
        .collect();
    Ok(WarmStart { mean, sigma, cov })
}
