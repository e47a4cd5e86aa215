//! Gaussian-process regression: fit (with the hyper-parameter search) and
//! batched prediction.

use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Mat, Par};
use rayon::prelude::*;

use super::kernel::scaled_sq_dist;
use super::lml::{cholesky_jitter, log_prior, scratch, solve_alpha, Hyper, Model, Workspace};
use super::{GpError, GpParams, KernelKind};
use crate::optim::{self, OptimError};
use crate::random::{seed, Mt64Rng};
use crate::space::{DimKind, Space};

/// A fitted Gaussian process: training inputs, hyper-parameters, the Cholesky
/// factor of the kernel matrix and `α = K⁻¹ y`.
#[derive(Debug, Clone)]
pub struct FittedGp {
    kernel: KernelKind,
    x: Vec<f64>,
    n: usize,
    d: usize,
    categorical: Vec<bool>,
    space: Option<Space>,
    n_ls: usize,
    fit_noise: bool,
    alpha_fixed: f64,
    theta: Vec<f64>,
    hyper: Hyper,
    l: Mat<f64>,
    a: Mat<f64>,
    y: Vec<f64>,
    y_mean: f64,
    y_std: f64,
    lml: f64,
    jitter: f64,
}

fn check_finite(what: &'static str, v: &[f64]) -> Result<(), GpError> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => Err(GpError::NonFinite {
            what,
            index: i,
            value: v[i],
        }),
        None => Ok(()),
    }
}

/// Projects every row of `x` (n × d) with the space's rounding, if any.
fn project_rows(space: Option<&Space>, x: &[f64], d: usize) -> Vec<f64> {
    match space {
        None => x.to_vec(),
        Some(s) => x.chunks(d).flat_map(|row| s.project(row)).collect(),
    }
}

fn categorical_dims(space: Option<&Space>, d: usize) -> Vec<bool> {
    match space {
        None => vec![false; d],
        Some(s) => s
            .dim_kinds()
            .iter()
            .map(|k| matches!(k, DimKind::Categorical { .. }))
            .collect(),
    }
}

/// Fits a Gaussian process to `n` points `x` (row-major, `n × d`) with targets `y`.
///
/// Without an optimizer the kernel is used as given; with one, the
/// hyper-parameters maximise the log marginal likelihood (plus the log-priors
/// if asked) by bounded L-BFGS from the given values and from
/// `restarts` random log-uniform points, run in parallel; the best wins (ties
/// to the earliest start, so the result does not depend on thread timing).
pub fn fit(
    params: &GpParams,
    x: &[f64],
    n: usize,
    d: usize,
    y: &[f64],
) -> Result<FittedGp, GpError> {
    if n == 0 || d == 0 {
        return Err(GpError::Empty { n, d });
    }
    params.check_dims(d)?;
    let expected = n.checked_mul(d).ok_or(GpError::ShapeMismatch {
        what: "x",
        expected: usize::MAX,
        got: x.len(),
    })?;
    if x.len() != expected {
        return Err(GpError::ShapeMismatch {
            what: "x",
            expected,
            got: x.len(),
        });
    }
    if y.len() != n {
        return Err(GpError::ShapeMismatch {
            what: "y",
            expected: n,
            got: y.len(),
        });
    }
    check_finite("x", x)?;
    check_finite("y", y)?;
    let space = params.space.as_ref();
    let xp = project_rows(space, x, d);
    let categorical = categorical_dims(space, d);
    let (y_mean, y_std) = if params.normalize_y {
        let mean = y.iter().sum::<f64>() / n as f64;
        let var = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        let std = var.sqrt();
        (
            mean,
            if std > 0.0 && std.is_finite() {
                std
            } else {
                1.0
            },
        )
    } else {
        (0.0, 1.0)
    };
    let yn: Vec<f64> = y.iter().map(|v| (v - y_mean) / y_std).collect();
    let model = Model {
        kernel: params.kernel,
        x: &xp,
        n,
        d,
        categorical: &categorical,
        y: &yn,
        n_ls: params.length_scale.len(),
        fit_noise: params.noise.is_some(),
        alpha: params.alpha,
    };
    let theta0 = params.theta();
    let theta = match &params.optimizer {
        None => theta0,
        Some(o) => optimise(&model, params, o, theta0)?,
    };
    let h = model.hyper(&theta);
    let mut ws = Workspace::new(n, Par::Seq);
    let lml = ws.factor(&model, &h)?;
    Ok(FittedGp {
        kernel: params.kernel,
        n,
        d,
        space: params.space.clone(),
        n_ls: model.n_ls,
        fit_noise: model.fit_noise,
        alpha_fixed: params.alpha,
        theta,
        hyper: h,
        l: ws.l,
        a: ws.a,
        y: yn,
        y_mean,
        y_std,
        lml,
        jitter: ws.jitter,
        x: xp,
        categorical,
    })
}

/// Lower/upper bounds of θ for the optimiser.
fn theta_bounds(model: &Model<'_>, o: &super::Optimizer) -> (Vec<f64>, Vec<f64>) {
    let mut lo = vec![o.bounds_length_scale.0.ln(); model.n_ls];
    let mut hi = vec![o.bounds_length_scale.1.ln(); model.n_ls];
    lo.push(o.bounds_variance.0.ln());
    hi.push(o.bounds_variance.1.ln());
    if model.fit_noise {
        lo.push(o.bounds_noise.0.ln());
        hi.push(o.bounds_noise.1.ln());
    }
    (lo, hi)
}

fn optimise(
    model: &Model<'_>,
    params: &GpParams,
    o: &super::Optimizer,
    theta0: Vec<f64>,
) -> Result<Vec<f64>, GpError> {
    let (lo, hi) = theta_bounds(model, o);
    let mut starts = vec![theta0
        .iter()
        .zip(lo.iter().zip(&hi))
        .map(|(t, (l, h))| t.clamp(*l, *h))
        .collect::<Vec<f64>>()];
    let mut rng = Mt64Rng::new(o.seed, seed::GP_RESTARTS);
    for _ in 0..o.restarts {
        starts.push(
            lo.iter()
                .zip(&hi)
                .map(|(l, h)| l + (h - l) * rng.unit())
                .collect(),
        );
    }
    let _ = params;
    let opts = optim::Options {
        max_iter: o.max_iter,
        max_evals: o.max_iter * 2 + 10,
        ftol: o.ftol,
        initial_step: o.initial_step,
        ..optim::Options::default()
    };
    // faer runs sequentially: its multi-threaded kernels were no faster on 2 cores
    // (examples/chol_bench.rs) and their results would depend on the thread count.
    // The parallelism is across starts, each of which is independent.
    let par = Par::Seq;
    let run = |start: &Vec<f64>| -> Result<optim::Minimum, OptimError> {
        let mut ws = Workspace::new(model.n, par);
        let objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
            let h = model.hyper(theta);
            match ws.factor(model, &h) {
                Ok(lml) => {
                    ws.gradient(model, &h, grad);
                    let mut v = lml;
                    if o.priors {
                        v += log_prior(model, theta, grad);
                    }
                    for g in grad.iter_mut() {
                        *g = -*g;
                    }
                    -v
                }
                Err(_) => f64::INFINITY,
            }
        };
        optim::minimize(objective, start, &lo, &hi, &opts)
    };
    let results: Vec<Result<optim::Minimum, OptimError>> = if starts.len() == 1 {
        starts.iter().map(run).collect()
    } else {
        starts.par_iter().map(run).collect()
    };
    let mut best: Option<optim::Minimum> = None;
    let mut last_err = None;
    for r in results {
        match r {
            Ok(m) => {
                if best.as_ref().is_none_or(|b| m.f < b.f) {
                    best = Some(m);
                }
            }
            Err(e) => last_err = Some(e),
        }
    }
    match (best, last_err) {
        (Some(b), _) => Ok(b.x),
        (None, Some(e)) => Err(GpError::FitFailed(e)),
        (None, None) => Err(GpError::FitFailed(OptimError::NonFiniteObjective {
            value: f64::NAN,
        })),
    }
}

/// Posterior at one point with the gradient w.r.t. the encoded coordinates (see [`FittedGp::predict_with_gradient`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PointPosterior {
    pub mean: f64,
    pub std: f64,
    pub d_mean: Vec<f64>,
    pub d_std: Vec<f64>,
}

impl FittedGp {
    /// The prior covariance `σ² k(a, b)` of two encoded points under the fitted hyper-parameters.
    fn cov(&self, a: &[f64], b: &[f64]) -> f64 {
        let h = &self.hyper;
        h.variance
            * self
                .kernel
                .k(scaled_sq_dist(a, b, &h.inv_l2, &self.categorical))
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn dim(&self) -> usize {
        self.d
    }

    pub fn kernel(&self) -> KernelKind {
        self.kernel
    }

    /// The hyper-parameters in log space: `[ln l…, ln σ², (ln σ_n²)]` (σ² and σ_n² in normalised-target units).
    pub fn kernel_params(&self) -> Vec<f64> {
        self.theta.clone()
    }

    /// Length scales (one, or one per dimension).
    pub fn length_scale(&self) -> Vec<f64> {
        self.theta[..self.n_ls].iter().map(|t| t.exp()).collect()
    }

    /// Signal variance σ² (normalised-target units).
    pub fn variance(&self) -> f64 {
        self.hyper.variance
    }

    /// Fitted noise variance (normalised-target units), if the model has one.
    pub fn noise(&self) -> Option<f64> {
        self.fit_noise.then_some(self.hyper.noise)
    }

    /// Jitter that had to be added to the diagonal to factor the kernel matrix.
    pub fn jitter(&self) -> f64 {
        self.jitter
    }

    /// Log marginal likelihood of the (normalised) targets at the fitted hyper-parameters.
    pub fn log_marginal_likelihood(&self) -> f64 {
        self.lml
    }

    fn model(&self) -> Model<'_> {
        Model {
            kernel: self.kernel,
            x: &self.x,
            n: self.n,
            d: self.d,
            categorical: &self.categorical,
            y: &self.y,
            n_ls: self.n_ls,
            fit_noise: self.fit_noise,
            alpha: self.alpha_fixed,
        }
    }

    /// Log marginal likelihood and its gradient w.r.t. θ (log space, layout of
    /// [`Self::kernel_params`]) on this model's training data; no priors.
    pub fn log_marginal_likelihood_and_gradient(
        &self,
        theta: &[f64],
    ) -> Result<(f64, Vec<f64>), GpError> {
        let m = self.model();
        if theta.len() != m.n_theta() {
            return Err(GpError::ThetaLength {
                expected: m.n_theta(),
                got: theta.len(),
            });
        }
        check_finite("theta", theta)?;
        let h = m.hyper(theta);
        let mut ws = Workspace::new(self.n, Par::Seq);
        let lml = ws.factor(&m, &h)?;
        let mut g = vec![0.0; theta.len()];
        ws.gradient(&m, &h, &mut g);
        Ok((lml, g))
    }

    /// The log-priors at θ and their gradient (as used by the fit with `priors`).
    pub fn log_prior_and_gradient(&self, theta: &[f64]) -> Result<(f64, Vec<f64>), GpError> {
        let m = self.model();
        if theta.len() != m.n_theta() {
            return Err(GpError::ThetaLength {
                expected: m.n_theta(),
                got: theta.len(),
            });
        }
        let mut g = vec![0.0; theta.len()];
        let v = log_prior(&m, theta, &mut g);
        Ok((v, g))
    }

    fn check_points(&self, xs: &[f64], m: usize) -> Result<Vec<f64>, GpError> {
        let expected = m.checked_mul(self.d).ok_or(GpError::ShapeMismatch {
            what: "xs",
            expected: usize::MAX,
            got: xs.len(),
        })?;
        if xs.len() != expected {
            return Err(GpError::ShapeMismatch {
                what: "xs",
                expected,
                got: xs.len(),
            });
        }
        check_finite("xs", xs)?;
        Ok(project_rows(self.space.as_ref(), xs, self.d))
    }

    /// Posterior mean and standard deviation (of the latent function, without
    /// noise) at `m` points `xs` (row-major, `m × d`), de-normalised.
    ///
    /// Batched: the cross-covariance `K_*` (n × m) is built once and one
    /// triangular solve `V = L⁻¹ K_*` serves every point, in column blocks run in
    /// parallel.
    pub fn predict(&self, xs: &[f64], m: usize) -> Result<(Vec<f64>, Vec<f64>), GpError> {
        let xs = self.check_points(xs, m)?;
        Ok(self.predict_projected(&xs, m))
    }

    /// [`Self::predict`] for points already validated and projected.
    pub(crate) fn predict_projected(&self, xs: &[f64], m: usize) -> (Vec<f64>, Vec<f64>) {
        const BLOCK: usize = 256;
        let d = self.d;
        let mut mean = vec![0.0; m];
        let mut std = vec![0.0; m];
        let blocks: Vec<(usize, Vec<f64>, Vec<f64>)> = (0..m.div_ceil(BLOCK))
            .into_par_iter()
            .map(|b| {
                let start = b * BLOCK;
                let end = (start + BLOCK).min(m);
                let mut ks = Mat::<f64>::zeros(self.n, end - start);
                for (c, j) in (start..end).enumerate() {
                    let xj = &xs[j * d..(j + 1) * d];
                    let col = ks.col_as_slice_mut(c);
                    for (i, v) in col.iter_mut().enumerate() {
                        let r2 = scaled_sq_dist(
                            &self.x[i * d..(i + 1) * d],
                            xj,
                            &self.hyper.inv_l2,
                            &self.categorical,
                        );
                        *v = self.hyper.variance * self.kernel.k(r2);
                    }
                }
                let mut mu = Vec::with_capacity(end - start);
                for c in 0..end - start {
                    let col = ks.col_as_slice(c);
                    mu.push(
                        col.iter()
                            .enumerate()
                            .map(|(i, v)| v * self.a[(i, 0)])
                            .sum::<f64>(),
                    );
                }
                solve_lower_triangular_in_place(self.l.as_ref(), ks.as_mut(), Par::Seq);
                let sd = (0..end - start)
                    .map(|c| {
                        (self.hyper.variance
                            - ks.col_as_slice(c).iter().map(|v| v * v).sum::<f64>())
                        .max(0.0)
                        .sqrt()
                    })
                    .collect();
                (start, mu, sd)
            })
            .collect();
        for (start, mu, sd) in blocks {
            for (k, (a, b)) in mu.into_iter().zip(sd).enumerate() {
                mean[start + k] = a * self.y_std + self.y_mean;
                std[start + k] = b * self.y_std;
            }
        }
        (mean, std)
    }

    /// Joint posterior of the latent function at `m` points already validated
    /// and projected: the means and the `m × m` covariance (row-major),
    /// de-normalised. `Σ = σ² K(X*, X*) − Vᵀ V` with `V = L⁻¹ K(X, X*)`.
    pub(crate) fn posterior_covariance_projected(
        &self,
        xs: &[f64],
        m: usize,
    ) -> (Vec<f64>, Vec<f64>) {
        let (n, d) = (self.n, self.d);
        let h = &self.hyper;
        let mut ks = Mat::<f64>::zeros(n, m);
        let mut mean = vec![0.0; m];
        for (c, mc) in mean.iter_mut().enumerate() {
            let xc = &xs[c * d..(c + 1) * d];
            let col = ks.col_as_slice_mut(c);
            for (i, v) in col.iter_mut().enumerate() {
                *v = self.cov(&self.x[i * d..(i + 1) * d], xc);
            }
            *mc = col
                .iter()
                .enumerate()
                .map(|(i, v)| v * self.a[(i, 0)])
                .sum::<f64>()
                * self.y_std
                + self.y_mean;
        }
        solve_lower_triangular_in_place(self.l.as_ref(), ks.as_mut(), Par::Seq);
        let s2 = self.y_std * self.y_std;
        let mut cov = vec![0.0; m * m];
        for r in 0..m {
            for c in r..m {
                let prior = if r == c {
                    h.variance
                } else {
                    self.cov(&xs[r * d..(r + 1) * d], &xs[c * d..(c + 1) * d])
                };
                let vv: f64 = ks
                    .col_as_slice(r)
                    .iter()
                    .zip(ks.col_as_slice(c))
                    .map(|(u, v)| u * v)
                    .sum();
                let v = (prior - vv) * s2;
                cov[r * m + c] = v;
                cov[c * m + r] = v;
            }
        }
        (mean, cov)
    }

    /// Leave-one-out predictive mean and standard deviation of each training
    /// target (noise included), de-normalised, in closed form from `K⁻¹`
    /// (Rasmussen & Williams eq. 5.12): `μ₋ᵢ = yᵢ − [K⁻¹y]ᵢ / [K⁻¹]ᵢᵢ`,
    /// `σ²₋ᵢ = 1 / [K⁻¹]ᵢᵢ`.
    pub(crate) fn leave_one_out(&self) -> (Vec<f64>, Vec<f64>) {
        let n = self.n;
        let mut linv = Mat::<f64>::identity(n, n);
        solve_lower_triangular_in_place(self.l.as_ref(), linv.as_mut(), Par::Seq);
        // [K⁻¹]ᵢᵢ = Σₖ (L⁻¹)ₖᵢ².
        let mut mean = Vec::with_capacity(n);
        let mut sd = Vec::with_capacity(n);
        for i in 0..n {
            let kii: f64 = linv.col_as_slice(i).iter().map(|v| v * v).sum();
            let kii = kii.max(1e-300);
            mean.push((self.y[i] - self.a[(i, 0)] / kii) * self.y_std + self.y_mean);
            sd.push((1.0 / kii).sqrt() * self.y_std);
        }
        (mean, sd)
    }

    /// Posterior mean and standard deviation at one encoded point `x` with
    /// their gradients w.r.t. its coordinates (zero on categorical dimensions;
    /// with a space, the point is projected first and the gradient is that of
    /// the projected point), de-normalised. Two triangular solves.
    pub fn predict_with_gradient(&self, x: &[f64]) -> Result<PointPosterior, GpError> {
        let xp = self.check_points(x, 1)?;
        Ok(self.posterior_with_gradient(&xp))
    }

    /// [`Self::predict_with_gradient`] for a point already validated and projected.
    pub(crate) fn posterior_with_gradient(&self, x: &[f64]) -> PointPosterior {
        let (n, d) = (self.n, self.d);
        let mut kv = Mat::<f64>::zeros(n, 1);
        let mut q = vec![0.0; n];
        let mut mean = 0.0;
        for i in 0..n {
            let r2 = scaled_sq_dist(
                &self.x[i * d..(i + 1) * d],
                x,
                &self.hyper.inv_l2,
                &self.categorical,
            );
            let (k, qq) = self.kernel.k_and_q(r2);
            kv[(i, 0)] = self.hyper.variance * k;
            q[i] = self.hyper.variance * qq;
            mean += kv[(i, 0)] * self.a[(i, 0)];
        }
        solve_lower_triangular_in_place(self.l.as_ref(), kv.as_mut(), Par::Seq);
        let var = self.hyper.variance - (0..n).map(|i| kv[(i, 0)] * kv[(i, 0)]).sum::<f64>();
        solve_upper_triangular_in_place(self.l.as_ref().transpose(), kv.as_mut(), Par::Seq);
        // kv now holds w = K⁻¹ k_*. ∂k_i/∂x_k = −q_i (x_k − x_ik) / l_k².
        let mut d_mean = vec![0.0; d];
        let mut d_var = vec![0.0; d];
        for i in 0..n {
            let xi = &self.x[i * d..(i + 1) * d];
            let (ai, wi) = (self.a[(i, 0)], kv[(i, 0)]);
            for k in 0..d {
                if self.categorical[k] {
                    continue;
                }
                let dk = -q[i] * (x[k] - xi[k]) * self.hyper.inv_l2[k];
                d_mean[k] += ai * dk;
                d_var[k] -= 2.0 * wi * dk;
            }
        }
        let var = var.max(1e-300);
        let sd = var.sqrt();
        PointPosterior {
            mean: mean * self.y_std + self.y_mean,
            std: sd * self.y_std,
            d_mean: d_mean.iter().map(|v| v * self.y_std).collect(),
            d_std: d_var.iter().map(|v| v / (2.0 * sd) * self.y_std).collect(),
        }
    }

    /// The same model conditioned on extra observations `(xs, ys)` (targets in
    /// original units) with the hyper-parameters and target normalisation kept:
    /// the Cholesky factor is extended by a block (`O(n² p)`), not recomputed.
    /// Used for fantasy observations (constant liar, pending points).
    pub fn condition_on(&self, xs: &[f64], ys: &[f64]) -> Result<FittedGp, GpError> {
        let p = ys.len();
        let xs = self.check_points(xs, p)?;
        check_finite("ys", ys)?;
        if p == 0 {
            return Ok(self.clone());
        }
        let (n, d) = (self.n, self.d);
        let h = &self.hyper;
        let total = n + p;
        // B = L⁻¹ K_12 (n × p); S = K_22 − Bᵀ B.
        let mut b = Mat::<f64>::zeros(n, p);
        for c in 0..p {
            let xc = &xs[c * d..(c + 1) * d];
            let col = b.col_as_slice_mut(c);
            for (i, v) in col.iter_mut().enumerate() {
                *v = self.cov(&self.x[i * d..(i + 1) * d], xc);
            }
        }
        solve_lower_triangular_in_place(self.l.as_ref(), b.as_mut(), Par::Seq);
        let mut s = Mat::<f64>::zeros(p, p);
        for c in 0..p {
            for r in c..p {
                let kv = if r == c {
                    h.variance + self.alpha_fixed + h.noise + self.jitter
                } else {
                    self.cov(&xs[r * d..(r + 1) * d], &xs[c * d..(c + 1) * d])
                };
                let bb: f64 = b
                    .col_as_slice(r)
                    .iter()
                    .zip(b.col_as_slice(c))
                    .map(|(u, v)| u * v)
                    .sum();
                s[(r, c)] = kv - bb;
            }
        }
        let mut ls = Mat::<f64>::zeros(p, p);
        let mut buf = scratch(p, Par::Seq);
        cholesky_jitter(s.as_ref(), &mut ls, Par::Seq, &mut buf)?;
        let mut l = Mat::<f64>::zeros(total, total);
        for j in 0..n {
            for i in j..n {
                l[(i, j)] = self.l[(i, j)];
            }
            for r in 0..p {
                l[(n + r, j)] = b[(j, r)];
            }
        }
        for j in 0..p {
            for i in j..p {
                l[(n + i, n + j)] = ls[(i, j)];
            }
        }
        let mut x = self.x.clone();
        x.extend_from_slice(&xs);
        let mut y = self.y.clone();
        y.extend(ys.iter().map(|v| (v - self.y_mean) / self.y_std));
        let mut a = Mat::<f64>::zeros(total, 1);
        solve_alpha(&l, &y, &mut a, Par::Seq);
        Ok(FittedGp {
            x,
            n: total,
            l,
            a,
            y,
            categorical: self.categorical.clone(),
            space: self.space.clone(),
            theta: self.theta.clone(),
            hyper: self.hyper.clone(),
            ..*self
        })
    }
}
