//! Where trials fail: a smoothed estimate of `P(not FAIL | x)` from the points
//! of finished trials that did not fail (COMPLETE, PRUNED) and of those that
//! failed.
//!
//! The model is a kernel-weighted Beta–Bernoulli estimate (Nadaraya–Watson
//! with a prior):
//!
//! ```text
//! P_ok(x) = (s · p₀ + Σ_ok w(x, xᵢ)) / (s + Σ_all w(x, xᵢ))
//! ```
//!
//! - `w(x, xᵢ) = exp(−‖x − xᵢ‖² / 2h²) · ρ^(categories that differ)` on the
//!   encoded coordinates (numerical parameters in [0, 1], categorical ones by
//!   index);
//! - the prior `p₀ = (n_ok + 1) / (n + 2)` is the study's overall success rate
//!   (Laplace-smoothed) with the weight `s` = [`PRIOR_WEIGHT`] of one trial;
//! - the bandwidth `h` and the weight `ρ` of a different category are chosen
//!   among [`BANDWIDTHS`] × [`CATEGORY_WEIGHTS`] by the leave-one-out
//!   likelihood of the observed outcomes (ties to the first), so a failure
//!   pattern that depends on one category only spreads over the category, and
//!   one that is local stays local.
//!
//! The prior is what keeps one flaky failure from closing a region: a failed
//! point among `k` successes nearby gets `P_ok ≈ (p₀ + k) / (1 + k + 1)`,
//! while a region where `k` trials all failed gets `P_ok ≈ p₀ / (1 + k)`.
//! With no failed point at all the model is not used (`P_ok = 1`).

use crate::space::{DimKind, Space};

/// Weight of the prior, in trials.
pub const PRIOR_WEIGHT: f64 = 1.0;
/// Bandwidths tried on the numerical encoded coordinates (unit cube).
pub const BANDWIDTHS: [f64; 5] = [0.05, 0.1, 0.2, 0.4, 0.8];
/// Weights tried for each categorical parameter whose category differs.
pub const CATEGORY_WEIGHTS: [f64; 3] = [0.0, 0.1, 0.5];

/// The fitted model (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct FailureModel {
    categorical: Vec<bool>,
    /// Encoded points, row-major, and whether each one failed.
    x: Vec<f64>,
    failed: Vec<bool>,
    d: usize,
    prior: f64,
    bandwidth: f64,
    category_weight: f64,
}

impl FailureModel {
    /// The model of `ok` and `failed` points, both encoded (see
    /// [`Space::encode`]); `None` when no point failed (then nothing is
    /// avoided). Points must be valid encoded points of `space`.
    pub fn fit(space: &Space, ok: &[Vec<f64>], failed: &[Vec<f64>]) -> Option<Self> {
        if failed.is_empty() {
            return None;
        }
        let d = space.len();
        let categorical = space
            .dim_kinds()
            .iter()
            .map(|k| matches!(k, DimKind::Categorical { .. }))
            .collect();
        let n = ok.len() + failed.len();
        let mut model = FailureModel {
            categorical,
            x: ok.iter().chain(failed).flatten().copied().collect(),
            failed: (0..n).map(|i| i >= ok.len()).collect(),
            d,
            prior: (ok.len() as f64 + 1.0) / (n as f64 + 2.0),
            bandwidth: BANDWIDTHS[0],
            category_weight: CATEGORY_WEIGHTS[0],
        };
        let mut best = f64::NEG_INFINITY;
        let mut choice = (model.bandwidth, model.category_weight);
        for &h in &BANDWIDTHS {
            for &rho in &CATEGORY_WEIGHTS {
                model.bandwidth = h;
                model.category_weight = rho;
                let ll = model.leave_one_out();
                if ll > best {
                    best = ll;
                    choice = (h, rho);
                }
            }
        }
        (model.bandwidth, model.category_weight) = choice;
        Some(model)
    }

    /// The chosen bandwidth and category weight.
    pub fn settings(&self) -> (f64, f64) {
        (self.bandwidth, self.category_weight)
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }

    fn n(&self) -> usize {
        self.failed.len()
    }

    /// Kernel weight between an observed row and `u`.
    fn weight(&self, xi: &[f64], u: &[f64]) -> f64 {
        let mut r2 = 0.0;
        let mut w = 1.0;
        for k in 0..self.d {
            if self.categorical[k] {
                if xi[k] != u[k] {
                    w *= self.category_weight;
                }
            } else {
                let t = xi[k] - u[k];
                r2 += t * t;
            }
        }
        if w == 0.0 {
            return 0.0;
        }
        w * (-0.5 * r2 / (self.bandwidth * self.bandwidth)).exp()
    }

    /// Leave-one-out log likelihood of the observed outcomes.
    fn leave_one_out(&self) -> f64 {
        let n = self.n();
        let mut ll = 0.0;
        for i in 0..n {
            let (mut ok, mut all) = (PRIOR_WEIGHT * self.prior, PRIOR_WEIGHT);
            for j in 0..n {
                if j == i {
                    continue;
                }
                let w = self.weight(self.row(j), self.row(i));
                all += w;
                if !self.failed[j] {
                    ok += w;
                }
            }
            let p = ok / all;
            ll += if self.failed[i] {
                (1.0 - p).ln()
            } else {
                p.ln()
            };
        }
        ll
    }

    /// `P(not FAIL | u)` at an encoded point.
    pub fn p_ok(&self, u: &[f64]) -> f64 {
        let (mut ok, mut all) = (PRIOR_WEIGHT * self.prior, PRIOR_WEIGHT);
        for i in 0..self.n() {
            let w = self.weight(self.row(i), u);
            all += w;
            if !self.failed[i] {
                ok += w;
            }
        }
        ok / all
    }

    /// `ln P_ok(u)` and its gradient w.r.t. the numerical coordinates of `u`
    /// (zero on categorical ones).
    pub fn log_p_ok_and_grad(&self, u: &[f64], grad: &mut [f64]) -> f64 {
        let d = self.d;
        let (mut ok, mut all) = (PRIOR_WEIGHT * self.prior, PRIOR_WEIGHT);
        let mut d_ok = vec![0.0; d];
        let mut d_all = vec![0.0; d];
        let inv_h2 = 1.0 / (self.bandwidth * self.bandwidth);
        for i in 0..self.n() {
            let xi = self.row(i);
            let w = self.weight(xi, u);
            if w == 0.0 {
                continue;
            }
            all += w;
            if !self.failed[i] {
                ok += w;
            }
            for k in 0..d {
                if self.categorical[k] {
                    continue;
                }
                // ∂w/∂u_k = w (x_ik − u_k) / h²
                let dw = w * (xi[k] - u[k]) * inv_h2;
                d_all[k] += dw;
                if !self.failed[i] {
                    d_ok[k] += dw;
                }
            }
        }
        for k in 0..d {
            grad[k] = d_ok[k] / ok - d_all[k] / all;
        }
        ok.ln() - all.ln()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::space::{Domain, Param};

    fn space() -> Space {
        Space::new(vec![
            Param {
                name: "c".into(),
                domain: Domain::Categorical { n_choices: 5 },
            },
            Param {
                name: "x".into(),
                domain: Domain::Float {
                    low: 0.0,
                    high: 1.0,
                    log: false,
                    step: None,
                },
            },
        ])
        .unwrap()
    }

    #[test]
    fn no_failure_no_model() {
        assert!(FailureModel::fit(&space(), &[vec![0.0, 0.5]], &[]).is_none());
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let s = space();
        let ok: Vec<Vec<f64>> = (0..8)
            .map(|i| vec![(i % 3) as f64, i as f64 / 8.0])
            .collect();
        let failed = vec![vec![1.0, 0.3], vec![1.0, 0.35], vec![2.0, 0.9]];
        let m = FailureModel::fit(&s, &ok, &failed).unwrap();
        for x in [0.1, 0.33, 0.6, 0.95] {
            let u = vec![1.0, x];
            let mut g = vec![0.0; 2];
            let v = m.log_p_ok_and_grad(&u, &mut g);
            assert!((v - m.p_ok(&u).ln()).abs() < 1e-12);
            let h = 1e-6;
            let mut g2 = vec![0.0; 2];
            let fd = (m.log_p_ok_and_grad(&[1.0, x + h], &mut g2)
                - m.log_p_ok_and_grad(&[1.0, x - h], &mut g2))
                / (2.0 * h);
            assert!(
                (fd - g[1]).abs() < 1e-5 * fd.abs().max(1.0),
                "{fd} vs {}",
                g[1]
            );
            assert_eq!(g[0], 0.0);
        }
    }
}
