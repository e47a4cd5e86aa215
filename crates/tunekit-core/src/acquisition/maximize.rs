//! Maximisation of an acquisition function over the encoded search space.
//!
//! 1. **Candidates**: `n_candidates` Owen-scrambled Sobol points of the unit
//!    cube (categorical coordinates mapped to `⌊u·n⌋`), plus a quarter as many
//!    local perturbations of the best observed points (Gaussian steps of
//!    scale 0.01, 0.05 or 0.2 on numerical coordinates, a random category with
//!    probability 1/d), all rounded with [`Space::project`]. Their posterior is
//!    computed in one batch ([`FittedGp::predict`]).
//! 2. **Polishing**: the best `n_restarts` distinct candidates are improved in
//!    parallel (rayon). Continuous coordinates: bounded L-BFGS on [0, 1] with
//!    the analytic gradient, discrete and categorical coordinates held fixed
//!    (the rounded kernel is flat along them). Then a neighbourhood search on
//!    the others: every other category of each categorical parameter and the
//!    adjacent levels (±1 step) of each integer/stepped parameter are
//!    evaluated, the best move is taken if it improves, and the continuous
//!    coordinates are polished again; up to 4 rounds. Categorical parameters
//!    are therefore chosen by enumeration, never by rounding a relaxation.
//! 3. Polished points and all candidates are returned ranked by value, so the
//!    caller can skip points it must avoid.

use rayon::prelude::*;

use super::feasibility::Feasibility;
use super::functions::Acquisition;
use crate::gp::{FittedGp, PointPosterior};
use crate::optim;
use crate::random::{seed, sobol_point, Mt64Rng};
use crate::space::{DimKind, Domain, Space};

/// One evaluated point of the encoded space (projected onto valid values).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ranked {
    pub value: f64,
    pub u: Vec<f64>,
}

/// What the acquisition is maximised over: a posterior at projected encoded
/// points, batched and at one point with its gradient (a Gaussian process, or
/// the transfer ensemble of [`crate::transfer`]).
pub(crate) trait Surrogate: Sync {
    fn predict_projected(&self, xs: &[f64], m: usize) -> (Vec<f64>, Vec<f64>);
    fn posterior_with_gradient(&self, x: &[f64]) -> PointPosterior;
}

impl Surrogate for FittedGp {
    fn predict_projected(&self, xs: &[f64], m: usize) -> (Vec<f64>, Vec<f64>) {
        FittedGp::predict_projected(self, xs, m)
    }

    fn posterior_with_gradient(&self, x: &[f64]) -> PointPosterior {
        FittedGp::posterior_with_gradient(self, x)
    }
}

pub(crate) struct Problem<'a> {
    pub gp: &'a dyn Surrogate,
    pub space: &'a Space,
    pub acq: Acquisition,
    pub best: f64,
    /// Constraint and failure models (empty: the plain acquisition).
    pub feas: &'a Feasibility,
    /// Whether the objective's acquisition counts: false when no observation
    /// is feasible (then `ln P(feasible)` alone is maximised).
    pub objective: bool,
    /// `(dimension, encoded value)` of the parameters held fixed: every
    /// candidate takes these values and polishing leaves them alone.
    pub fixed: &'a [(usize, f64)],
}

impl Problem<'_> {
    /// The acquisition combined with `ln P(x)`: added to LogEI, a factor of EI and PI.
    fn combine(&self, base: f64, log_p: f64) -> f64 {
        if !self.objective {
            return log_p;
        }
        match self.acq {
            Acquisition::LogEi { .. } => base + log_p,
            Acquisition::Ei { .. } | Acquisition::Pi { .. } => base * log_p.exp(),
            Acquisition::Ucb { .. } => base,
        }
    }

    fn values(&self, flat: &[f64], m: usize) -> Vec<f64> {
        let log_p = if self.feas.is_empty() {
            vec![0.0; m]
        } else {
            self.feas.log_p(flat, m)
        };
        let base: Vec<f64> = if self.objective {
            let (mean, std) = self.gp.predict_projected(flat, m);
            mean.iter()
                .zip(&std)
                .map(|(&mu, &s)| self.acq.value(mu, s, self.best))
                .collect()
        } else {
            vec![0.0; m]
        };
        base.iter()
            .zip(&log_p)
            .map(|(&b, &lp)| self.combine(b, lp))
            .map(|v| if v.is_nan() { f64::NEG_INFINITY } else { v })
            .collect()
    }

    /// The combined value at `u` and its gradient.
    fn value_and_grad(&self, u: &[f64], grad: &mut [f64]) -> f64 {
        let mut base = 0.0;
        if self.objective {
            let post = self.gp.posterior_with_gradient(u);
            base = self.acq.value_and_grad(
                post.mean,
                post.std,
                &post.d_mean,
                &post.d_std,
                self.best,
                grad,
            );
        } else {
            grad.iter_mut().for_each(|g| *g = 0.0);
        }
        if self.feas.is_empty() || (matches!(self.acq, Acquisition::Ucb { .. }) && self.objective) {
            return base;
        }
        let mut g = vec![0.0; grad.len()];
        let log_p = self.feas.log_p_and_grad(u, &mut g);
        let v = self.combine(base, log_p);
        match (self.objective, self.acq) {
            (false, _) => grad.copy_from_slice(&g),
            (true, Acquisition::LogEi { .. }) => {
                for (a, b) in grad.iter_mut().zip(&g) {
                    *a += b;
                }
            }
            (true, _) => {
                // d(base · P) = P dbase + base · P d ln P
                let p = log_p.exp();
                for (a, b) in grad.iter_mut().zip(&g) {
                    *a = p * *a + base * p * b;
                }
            }
        }
        v
    }
}

/// The candidate set (flat, projected) described in the module docs.
pub(crate) fn candidates(
    space: &Space,
    n_candidates: usize,
    seed: u64,
    centres: &[Vec<f64>],
) -> Vec<f64> {
    let kinds = space.dim_kinds();
    let d = kinds.len();
    let mut out = Vec::with_capacity(n_candidates * d * 5 / 4 + d);
    for i in 0..n_candidates as u64 {
        let mut u = sobol_point(i, d, seed);
        for (k, kind) in kinds.iter().enumerate() {
            if let DimKind::Categorical { n } = *kind {
                u[k] = (u[k] * n as f64).floor().min((n - 1) as f64);
            }
        }
        out.extend(space.project(&u));
    }
    if !centres.is_empty() {
        let mut rng = Mt64Rng::new(seed, seed::LOCAL_CANDIDATES);
        let n_local = n_candidates / 4;
        let scales = [0.01, 0.05, 0.2];
        for j in 0..n_local {
            let c = &centres[j % centres.len()];
            let s = scales[(j / centres.len()) % scales.len()];
            let mut u = c.clone();
            for (k, kind) in kinds.iter().enumerate() {
                match *kind {
                    DimKind::Categorical { n } => {
                        if rng.next_u64().is_multiple_of(d as u64) {
                            u[k] = (rng.next_u64() % n as u64) as f64;
                        }
                    }
                    _ => u[k] = (u[k] + s * rng.normal()).clamp(0.0, 1.0),
                }
            }
            out.extend(space.project(&u));
        }
    }
    out
}

/// Sets the fixed coordinates (`(dimension, encoded value)`) of the encoded point `u`.
pub(crate) fn set_fixed(u: &mut [f64], fixed: &[(usize, f64)]) {
    for &(k, x) in fixed {
        u[k] = x;
    }
}

fn is_fixed(fixed: &[(usize, f64)], k: usize) -> bool {
    fixed.iter().any(|&(j, _)| j == k)
}

/// Neighbours of `u` along discrete and categorical coordinates not in
/// `fixed` (flat list).
fn neighbours(space: &Space, fixed: &[(usize, f64)], u: &[f64]) -> Vec<f64> {
    let v = space.decode(u);
    let mut out = Vec::new();
    for (k, p) in space.params().iter().enumerate() {
        if is_fixed(fixed, k) {
            continue;
        }
        let mut push = |uk: f64| {
            let mut w = u.to_vec();
            w[k] = uk;
            out.extend(w);
        };
        match p.domain {
            Domain::Categorical { n_choices } => {
                for c in 0..n_choices {
                    if c as f64 != v[k] {
                        push(c as f64);
                    }
                }
            }
            Domain::Int { step, .. } => {
                for nv in [v[k] - step as f64, v[k] + step as f64] {
                    if p.domain.contains(nv) {
                        push(p.domain.encode(nv));
                    }
                }
            }
            Domain::Float {
                step: Some(s), low, ..
            } => {
                let level = ((v[k] - low) / s).round();
                for l in [level - 1.0, level + 1.0] {
                    let nv = low + l * s;
                    if p.domain.contains(nv) {
                        push(p.domain.encode(nv));
                    }
                }
            }
            Domain::Float { step: None, .. } => {}
        }
    }
    out
}

/// L-BFGS on the continuous coordinates of `u` (others fixed). Returns the new value.
fn polish_continuous(p: &Problem<'_>, cont: &[usize], u: &mut [f64], value: f64) -> f64 {
    if cont.is_empty() {
        return value;
    }
    let x0: Vec<f64> = cont.iter().map(|&k| u[k]).collect();
    let lo = vec![0.0; cont.len()];
    let hi = vec![1.0; cont.len()];
    let mut work = u.to_vec();
    let mut grad_full = vec![0.0; u.len()];
    let objective = |z: &[f64], g: &mut [f64]| -> f64 {
        for (i, &k) in cont.iter().enumerate() {
            work[k] = z[i];
        }
        let v = p.value_and_grad(&work, &mut grad_full);
        for (i, &k) in cont.iter().enumerate() {
            g[i] = -grad_full[k];
        }
        if v.is_finite() {
            -v
        } else {
            f64::INFINITY
        }
    };
    let opts = optim::Options {
        max_iter: 60,
        max_evals: 150,
        pgtol: 1e-7,
        ..optim::Options::default()
    };
    match optim::minimize(objective, &x0, &lo, &hi, &opts) {
        Ok(m) if -m.f > value => {
            for (i, &k) in cont.iter().enumerate() {
                u[k] = m.x[i];
            }
            -m.f
        }
        _ => value,
    }
}

fn polish(p: &Problem<'_>, cont: &[usize], start: &Ranked) -> Ranked {
    let mut u = start.u.clone();
    let mut value = polish_continuous(p, cont, &mut u, start.value);
    for _ in 0..4 {
        let nb = neighbours(p.space, p.fixed, &u);
        let m = nb.len() / u.len().max(1);
        if m == 0 {
            break;
        }
        let vals = p.values(&nb, m);
        let (bi, bv) = vals
            .iter()
            .enumerate()
            .fold(
                (0, f64::NEG_INFINITY),
                |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
            );
        if bv <= value + 1e-12 * value.abs().max(1.0) {
            break;
        }
        let d = u.len();
        u.copy_from_slice(&nb[bi * d..(bi + 1) * d]);
        value = polish_continuous(p, cont, &mut u, bv);
    }
    // Report the value of the projected point, as the batch evaluator sees it.
    let u = p.space.project(&u);
    let value = p.values(&u, 1).first().copied().unwrap_or(value);
    Ranked { value, u }
}

/// Candidates, polished starts and all, ranked by decreasing acquisition value.
pub(crate) fn maximize(
    p: &Problem<'_>,
    n_candidates: usize,
    n_restarts: usize,
    seed: u64,
    centres: &[Vec<f64>],
) -> Vec<Ranked> {
    let d = p.space.len();
    let mut flat = candidates(p.space, n_candidates, seed, centres);
    let m = flat.len() / d;
    if !p.fixed.is_empty() {
        flat.chunks_mut(d).for_each(|u| set_fixed(u, p.fixed));
    }
    let vals = p.values(&flat, m);
    let mut ranked: Vec<Ranked> = (0..m)
        .map(|i| Ranked {
            value: vals[i],
            u: flat[i * d..(i + 1) * d].to_vec(),
        })
        .collect();
    ranked.sort_by(|a, b| b.value.total_cmp(&a.value));
    let mut starts: Vec<&Ranked> = Vec::new();
    for r in &ranked {
        if starts.len() >= n_restarts {
            break;
        }
        if !starts.iter().any(|s| s.u == r.u) {
            starts.push(r);
        }
    }
    let cont: Vec<usize> = p
        .space
        .dim_kinds()
        .iter()
        .enumerate()
        .filter(|&(i, k)| matches!(k, DimKind::Continuous) && !is_fixed(p.fixed, i))
        .map(|(i, _)| i)
        .collect();
    let polished: Vec<Ranked> = starts.par_iter().map(|s| polish(p, &cont, s)).collect();
    let mut all = polished;
    all.extend(ranked);
    all.sort_by(|a, b| b.value.total_cmp(&a.value));
    all
}
