//! Log marginal likelihood, its analytic gradient in log-parameter space, and
//! the optional log-priors.
//!
//! With `K = σ² k(r) + (alpha + σ_n² + jitter) I = L Lᵀ` and `α = K⁻¹ y`
//! (Rasmussen & Williams 2006, Algorithm 2.1 and eq. 2.30):
//!
//! `log p(y | X, θ) = −½ yᵀα − Σ_i ln L_ii − (n/2) ln 2π`
//!
//! and (eq. 5.9) `∂/∂θ_j log p = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j)`, for
//! `θ = [ln l_1 … ln l_L, ln σ², (ln σ_n²)]`:
//! `∂K/∂ ln l_k = σ² q(r) δ_k / l_k²`, `∂K/∂ ln σ² = σ² k(r)`, `∂K/∂ ln σ_n² = σ_n² I`
//! (see [`super::kernel`] for `q` and `δ`). One factorisation and one inverse
//! (`K⁻¹` from `L`, by faer) per evaluation: `≈ n³` flops.
//!
//! **Priors** (when [`super::Optimizer::priors`] is set), added to the log
//! marginal likelihood and maximised together with it over θ (each log-density
//! is taken as a function of θ, without a Jacobian term):
//!
//! - every length scale, through `λ = 1/l²`: `ln p = −0.1/λ − 0.1λ`
//!   `= −0.1 (l² + 1/l²)`, peaked at `l = 1` (the unit cube's width), which keeps
//!   length scales from running off to very large values on few data;
//! - signal variance (of standardised targets): `σ² ~ Gamma(shape 2, rate 1)`;
//! - fitted noise variance: `σ_n² ~ Gamma(shape 1.1, rate 30)`, which keeps the
//!   noise small unless the data demand it.
//!
//! These are the shapes Optuna's GPSampler uses (its `default_log_prior`). On
//! `examples/bo_quality.rs` they beat both no prior and the dimension-scaled
//! log-normal length-scale prior of Hvarfner, Hellsten & Nardi (ICML 2024,
//! `ln l ~ N(√2 + ½ ln d, √3)`) clearly on Hartmann-6, Ackley-5 and Levy-6.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt;
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Mat, MatRef, Par};

use super::kernel::{delta, scaled_sq_dist};
use super::{GpError, KernelKind};

const LN_2PI: f64 = 1.837_877_066_409_345_3;

/// The training data and model structure an evaluation needs (targets already normalised).
pub(crate) struct Model<'a> {
    pub kernel: KernelKind,
    pub x: &'a [f64],
    pub n: usize,
    pub d: usize,
    pub categorical: &'a [bool],
    pub y: &'a [f64],
    /// Number of length scales (1 or d).
    pub n_ls: usize,
    pub fit_noise: bool,
    pub alpha: f64,
}

/// Hyper-parameters decoded from θ.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hyper {
    pub inv_l2: Vec<f64>,
    pub variance: f64,
    /// Fitted noise variance (0 when not fitted).
    pub noise: f64,
}

impl Model<'_> {
    pub fn n_theta(&self) -> usize {
        self.n_ls + 1 + usize::from(self.fit_noise)
    }

    pub fn hyper(&self, theta: &[f64]) -> Hyper {
        let inv_l2 = (0..self.d)
            .map(|k| (-2.0 * theta[if self.n_ls == 1 { 0 } else { k }]).exp())
            .collect();
        Hyper {
            inv_l2,
            variance: theta[self.n_ls].exp(),
            noise: if self.fit_noise {
                theta[self.n_ls + 1].exp()
            } else {
                0.0
            },
        }
    }
}

/// Lower Cholesky factor of the lower triangle of `k` into `l`, adding jitter
/// `1e-10 · mean diag`, ×10 per retry up to `1e-2 · mean diag`, when `k` is
/// not numerically positive definite. Returns the jitter used.
pub(crate) fn cholesky_jitter(
    k: MatRef<'_, f64>,
    l: &mut Mat<f64>,
    par: Par,
    buf: &mut MemBuffer,
) -> Result<f64, GpError> {
    let n = k.nrows();
    let mut mean_diag = 0.0;
    for i in 0..n {
        mean_diag += k[(i, i)];
    }
    mean_diag /= n.max(1) as f64;
    if !mean_diag.is_finite() || mean_diag <= 0.0 {
        return Err(GpError::NotPositiveDefinite { jitter: 0.0 });
    }
    let mut jitter = 0.0;
    loop {
        l.as_mut().copy_from_triangular_lower(k);
        if jitter > 0.0 {
            for i in 0..n {
                l[(i, i)] += jitter;
            }
        }
        let ok = llt::factor::cholesky_in_place(
            l.as_mut(),
            Default::default(),
            par,
            MemStack::new(buf),
            Default::default(),
        )
        .is_ok();
        if ok {
            return Ok(jitter);
        }
        jitter = if jitter == 0.0 {
            1e-10 * mean_diag
        } else {
            jitter * 10.0
        };
        if jitter > 1e-2 * mean_diag * 1.000_001 {
            return Err(GpError::NotPositiveDefinite {
                jitter: jitter / 10.0,
            });
        }
    }
}

pub(crate) fn scratch(n: usize, par: Par) -> MemBuffer {
    let req = llt::factor::cholesky_in_place_scratch::<f64>(n, par, Default::default())
        .or(llt::inverse::inverse_scratch::<f64>(n, par));
    MemBuffer::new(req)
}

/// `α = L⁻ᵀ L⁻¹ y` into `a` (n × 1).
pub(crate) fn solve_alpha(l: &Mat<f64>, y: &[f64], a: &mut Mat<f64>, par: Par) {
    for (i, &v) in y.iter().enumerate() {
        a[(i, 0)] = v;
    }
    solve_lower_triangular_in_place(l.as_ref(), a.as_mut(), par);
    solve_upper_triangular_in_place(l.as_ref().transpose(), a.as_mut(), par);
}

/// Reusable buffers of one evaluation (`4 n²` doubles).
pub(crate) struct Workspace {
    pub k: Mat<f64>,
    pub l: Mat<f64>,
    q: Mat<f64>,
    inv: Mat<f64>,
    pub a: Mat<f64>,
    buf: MemBuffer,
    par: Par,
    pub jitter: f64,
}

impl Workspace {
    pub fn new(n: usize, par: Par) -> Self {
        Self {
            k: Mat::zeros(n, n),
            l: Mat::zeros(n, n),
            q: Mat::zeros(n, n),
            inv: Mat::zeros(n, n),
            a: Mat::zeros(n, 1),
            buf: scratch(n, par),
            par,
            jitter: 0.0,
        }
    }

    /// Builds the kernel matrix (and the `q` matrix for the gradient), factors it
    /// and solves for α. Returns the log marginal likelihood.
    pub fn factor(&mut self, m: &Model<'_>, h: &Hyper) -> Result<f64, GpError> {
        let (n, d) = (m.n, m.d);
        let diag = h.variance + m.alpha + h.noise;
        for j in 0..n {
            let xj = &m.x[j * d..(j + 1) * d];
            let kc = self.k.col_as_slice_mut(j);
            let qc = self.q.col_as_slice_mut(j);
            kc[j] = diag;
            qc[j] = h.variance * m.kernel.k_and_q(0.0).1;
            for i in j + 1..n {
                let r2 = scaled_sq_dist(&m.x[i * d..(i + 1) * d], xj, &h.inv_l2, m.categorical);
                let (kv, qv) = m.kernel.k_and_q(r2);
                kc[i] = h.variance * kv;
                qc[i] = h.variance * qv;
            }
        }
        self.jitter = cholesky_jitter(self.k.as_ref(), &mut self.l, self.par, &mut self.buf)?;
        solve_alpha(&self.l, m.y, &mut self.a, self.par);
        let mut fit = 0.0;
        let mut logdet = 0.0;
        for i in 0..n {
            fit += m.y[i] * self.a[(i, 0)];
            logdet += self.l[(i, i)].ln();
        }
        Ok(-0.5 * fit - logdet - 0.5 * n as f64 * LN_2PI)
    }

    /// Gradient of the log marginal likelihood w.r.t. θ, after [`Self::factor`].
    pub fn gradient(&mut self, m: &Model<'_>, h: &Hyper, grad: &mut [f64]) {
        let (n, d) = (m.n, m.d);
        llt::inverse::inverse(
            self.inv.as_mut(),
            self.l.as_ref(),
            self.par,
            MemStack::new(&mut self.buf),
        );
        let mut g_dim = vec![0.0; d];
        let mut g_var = 0.0;
        let mut trace_w = 0.0;
        for j in 0..n {
            let xj = &m.x[j * d..(j + 1) * d];
            let aj = self.a[(j, 0)];
            let ic = self.inv.col_as_slice(j);
            let kc = self.k.col_as_slice(j);
            let qc = self.q.col_as_slice(j);
            trace_w += aj * aj - ic[j];
            for i in j + 1..n {
                let w = self.a[(i, 0)] * aj - ic[i];
                g_var += w * kc[i];
                let wq = w * qc[i];
                let xi = &m.x[i * d..(i + 1) * d];
                for k in 0..d {
                    g_dim[k] += wq * delta(xi[k], xj[k], m.categorical[k]);
                }
            }
        }
        // Off-diagonal sums count each pair once: ½ tr(W ∂K) = Σ_{i>j} W_ij ∂K_ij + ½ Σ_i W_ii ∂K_ii.
        for v in grad.iter_mut() {
            *v = 0.0;
        }
        for (k, (g, il2)) in g_dim.iter().zip(&h.inv_l2).enumerate() {
            grad[if m.n_ls == 1 { 0 } else { k }] += g * il2;
        }
        grad[m.n_ls] = g_var + 0.5 * trace_w * h.variance;
        if m.fit_noise {
            grad[m.n_ls + 1] = 0.5 * trace_w * h.noise;
        }
    }
}

/// Adds the log-priors (module docs) at θ to `grad` and returns their value.
pub(crate) fn log_prior(m: &Model<'_>, theta: &[f64], grad: &mut [f64]) -> f64 {
    let mut lp = 0.0;
    for i in 0..m.n_ls {
        // On λ = 1/l²: −0.1/λ − 0.1λ = −0.1 (l² + 1/l²).
        let l2 = (2.0 * theta[i]).exp();
        lp -= 0.1 * (l2 + 1.0 / l2);
        grad[i] -= 0.2 * (l2 - 1.0 / l2);
    }
    let var = theta[m.n_ls].exp();
    lp += theta[m.n_ls] - var; // Gamma(2, 1): (2 − 1) ln σ² − σ²
    grad[m.n_ls] += 1.0 - var;
    if m.fit_noise {
        let t = theta[m.n_ls + 1];
        let noise = t.exp();
        lp += 0.1 * t - 30.0 * noise; // Gamma(1.1, 30)
        grad[m.n_ls + 1] += 0.1 - 30.0 * noise;
    }
    lp
}
