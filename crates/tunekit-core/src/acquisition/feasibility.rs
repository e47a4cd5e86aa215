//! The probability that a point is feasible and does not fail, as the
//! constrained acquisition uses it (Gardner, Kusner, Xu, Weinberger &
//! Cunningham, *Bayesian Optimization with Inequality Constraints*, ICML 2014):
//!
//! `ln P(x) = Σ_k ln P(c_k(x) ≤ 0) + ln P_ok(x)`
//!
//! - one independent Gaussian process per constraint, fitted to the constraint
//!   values of the observations that have them (standardised; the same kernel,
//!   priors and hyper-parameter fit as the objective's), so
//!   `P(c_k ≤ 0) = Φ((t_k − μ_k) / σ_k)` with `t_k` the standardised zero; a
//!   constraint with fewer than two values, or all equal, adds nothing;
//! - `P_ok`, the [`FailureModel`] of failed trials, when some failed.
//!
//! The acquisition maximised is then LogEI of the objective over the best
//! *feasible* observation plus `ln P(x)`; EI and PI are multiplied by `P(x)`;
//! with no feasible observation, `ln P(x)` alone (the search first looks for
//! the feasible region).

use super::failure::FailureModel;
use super::normal::log_cdf;
use crate::gp::FittedGp;

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// One constraint's model: the GP of its standardised values and the standardised zero.
#[derive(Debug, Clone)]
pub(crate) struct ConstraintGp {
    pub gp: FittedGp,
    pub zero: f64,
}

/// The models behind `ln P(x)` (see the module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct Feasibility {
    pub constraints: Vec<ConstraintGp>,
    pub failure: Option<FailureModel>,
}

impl Feasibility {
    pub fn is_empty(&self) -> bool {
        self.constraints.is_empty() && self.failure.is_none()
    }

    /// `ln P(x)` of `m` projected encoded points (flat).
    pub fn log_p(&self, flat: &[f64], m: usize) -> Vec<f64> {
        let d = flat.len().checked_div(m).unwrap_or(0);
        let mut out = vec![0.0; m];
        for c in &self.constraints {
            let (mean, std) = c.gp.predict_projected(flat, m);
            for i in 0..m {
                out[i] += log_cdf((c.zero - mean[i]) / std[i].max(1e-12));
            }
        }
        if let Some(f) = &self.failure {
            for (i, o) in out.iter_mut().enumerate() {
                *o += f.p_ok(&flat[i * d..(i + 1) * d]).ln();
            }
        }
        out
    }

    /// `ln P(u)` at one projected encoded point and its gradient.
    pub fn log_p_and_grad(&self, u: &[f64], grad: &mut [f64]) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut total = 0.0;
        for c in &self.constraints {
            let post = c.gp.posterior_with_gradient(u);
            let s = post.std.max(1e-12);
            let z = (c.zero - post.mean) / s;
            let lc = log_cdf(z);
            // d ln Φ(z) / dz = φ(z) / Φ(z), in log space.
            let ratio = (-0.5 * z * z - LN_SQRT_2PI - lc).exp();
            let floored = post.std < 1e-12;
            for (k, g) in grad.iter_mut().enumerate() {
                let ds = if floored { 0.0 } else { post.d_std[k] };
                *g += ratio * (-post.d_mean[k] - z * ds) / s;
            }
            total += lc;
        }
        if let Some(f) = &self.failure {
            let mut g = vec![0.0; grad.len()];
            total += f.log_p_ok_and_grad(u, &mut g);
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        total
    }
}
