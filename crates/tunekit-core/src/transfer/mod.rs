//! Transfer across studies: RGPE, the ranking-weighted Gaussian-process
//! ensemble of Feurer, Letham & Bakshy, *Scalable Meta-Learning for Bayesian
//! Optimization using Ranking-Weighted Gaussian Process Ensembles* (AutoML
//! workshop at ICML 2018, arXiv:1802.02219).
//!
//! The old studies ([`BaseTask`], given in [`crate::acquisition::ProposeRequest::transfer`])
//! each get a Gaussian process, fitted as the target's is (targets standardised
//! and Yeo-Johnson-warped per study, the same kernel, priors and restarts) on
//! the parameters the study shares with the new space: a parameter is shared
//! when every point of the old study has a value for it (NaN marks a parameter
//! the old study lacks). A base model sees only its dimensions; its gradient
//! is zero along the others. An old study with fewer than two points, or with
//! equal targets, gets no model (and weight 0).
//!
//! **Weights** (`ranking_weights`): from the ranking loss on the new study's
//! observations, with [`WEIGHT_SAMPLES`] samples. For each sample, each base
//! model draws the new observations from its joint posterior at them, and the
//! target model draws each from its leave-one-out posterior (closed form from
//! `K⁻¹`); the loss of a draw is its number of misranked pairs among the pairs
//! with at least one member in the best quarter ([`TOP_FRACTION`]) of the new
//! observations (pairs with equal targets do not count). Counting only the
//! pairs that touch the top is this crate's variant, in the spirit of
//! top-weighted rank correlations: an old study whose optimum is shifted ranks
//! the new study's spread-out points well, but not the points near the new
//! optimum, and those decide once the new study has found them, so the new
//! study's own model takes over late in the search. The sample's weight goes
//! to the model(s) with the fewest misranked pairs, split equally between
//! ties. The weight-dilution
//! guard of the paper drops a base model whose median loss exceeds the 95th
//! percentile of the target model's. Rule for few data (the paper is silent):
//! with fewer than 3 new observations the target model takes no weight and the
//! base models share the samples by their losses alone; with no pair to rank
//! (0 or 1 observation, or equal targets) every base model ties, so they share
//! equally. The samples are seeded from the request's seed.
//!
//! **Ensemble**: mean `Σ wᵢ μᵢ`, variance `Σ wᵢ² σᵢ²` (models of weight 0 are
//! not evaluated); the acquisition is maximised over it as over a single GP.
//! A further deviation from the paper: a base model's `σᵢ` is capped by the
//! target model's `σ` at the same point. A base model's uncertainty does not shrink
//! where the new study has observed, so without the cap, a region the old
//! studies never sampled keeps a large ensemble variance however often the
//! new study samples it, and EI proposed the same bad point again and again
//! (seen on the shifted-Branin family of `bench/transfer.mjs` while the base
//! models kept most of the weight). Far from the new observations the target
//! model's `σ` is its prior's, so the cap changes little there.
//! With fewer than 2 new observations (or all equal) there is no target
//! model, and `propose` maximises the ensemble's mean: the point the old
//! studies predict best.
//!
//! **Unrelated old studies**: when every old study has weight 0 (none has a
//! model, or the new observations ranked them all out) while the new study
//! has fewer than [`SPACE_FILLING_BELOW`] observations, `propose` returns
//! space-filling (Sobol) points as the plain GP's random startup would, not
//! the new study's GP fitted on a handful of points gathered where the old
//! studies pointed.

mod error;

pub use error::TransferError;

use crate::acquisition::{fit_objective_gp, warp_targets, BoError, Surrogate};
use crate::gp::{FittedGp, KernelKind, PointPosterior};
use crate::random::{seed, Mt64Rng};
use crate::space::Space;

/// One old study's observations, in the value form of the new study's space.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BaseTask {
    /// One row per observation, a value per parameter of the new space (NaN:
    /// the old study lacks that parameter).
    pub points: Vec<Vec<f64>>,
    /// Their targets, to maximise (the same sense as the new study's).
    pub targets: Vec<f64>,
}

/// Samples of the ranking loss behind the weights.
pub const WEIGHT_SAMPLES: usize = 256;

/// A base model: a GP on the sub-space of the dimensions `dims` of the full space.
#[derive(Debug, Clone)]
pub(crate) struct BaseModel {
    pub gp: FittedGp,
    pub dims: Vec<usize>,
}

impl BaseModel {
    fn sub(&self, x: &[f64], d: usize, m: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(m * self.dims.len());
        for r in 0..m {
            let row = &x[r * d..(r + 1) * d];
            out.extend(self.dims.iter().map(|&k| row[k]));
        }
        out
    }
}

/// Checks the tasks against the space (see [`TransferError`]).
pub(crate) fn validate(space: &Space, tasks: &[BaseTask]) -> Result<(), TransferError> {
    let d = space.len();
    for (task, t) in tasks.iter().enumerate() {
        if t.points.len() != t.targets.len() {
            return Err(TransferError::LengthMismatch {
                task,
                points: t.points.len(),
                targets: t.targets.len(),
            });
        }
        for (index, p) in t.points.iter().enumerate() {
            if p.len() != d {
                return Err(TransferError::PointLength {
                    task,
                    index,
                    expected: d,
                    got: p.len(),
                });
            }
            for (&v, param) in p.iter().zip(space.params()) {
                if !v.is_nan() && !param.domain.contains(v) {
                    return Err(TransferError::InvalidValue {
                        task,
                        index,
                        param: param.name.clone(),
                        value: v,
                    });
                }
            }
        }
        if let Some(index) = t.targets.iter().position(|v| !v.is_finite()) {
            return Err(TransferError::NonFiniteTarget {
                task,
                index,
                value: t.targets[index],
            });
        }
        if !t.points.is_empty() && shared_dims(t, d).is_empty() {
            return Err(TransferError::NoSharedParameter { task });
        }
    }
    Ok(())
}

/// The dimensions every point of the task has.
fn shared_dims(t: &BaseTask, d: usize) -> Vec<usize> {
    (0..d)
        .filter(|&k| t.points.iter().all(|p| !p[k].is_nan()))
        .collect()
}

/// One model per task (None: fewer than 2 points or equal targets).
pub(crate) fn fit_bases(
    space: &Space,
    tasks: &[BaseTask],
    kernel: KernelKind,
    seed: u64,
    fit_restarts: usize,
) -> Result<Vec<Option<BaseModel>>, BoError> {
    let mut out = Vec::with_capacity(tasks.len());
    for (task, t) in tasks.iter().enumerate() {
        let all_equal = t.targets.windows(2).all(|w| w[0] == w[1]);
        if t.points.len() < 2 || all_equal {
            out.push(None);
            continue;
        }
        let dims = shared_dims(t, space.len());
        let sub = Space::new(dims.iter().map(|&k| space.params()[k].clone()).collect())
            .map_err(|source| TransferError::Space { task, source })?;
        let enc: Vec<Vec<f64>> = t
            .points
            .iter()
            .map(|p| sub.encode(&dims.iter().map(|&k| p[k]).collect::<Vec<f64>>()))
            .collect();
        let y = warp_targets(&t.targets);
        let gp = fit_objective_gp(
            &sub,
            kernel,
            seed.wrapping_add(0x7472_616e_u64.wrapping_add(task as u64)),
            fit_restarts,
            None,
            &enc,
            &y,
        )?;
        out.push(Some(BaseModel { gp, dims }));
    }
    Ok(out)
}

/// Lower Cholesky factor of the symmetric `n × n` matrix `a` (row-major),
/// with growing jitter; the diagonal square roots if it never factors.
fn cholesky(a: &[f64], n: usize) -> Vec<f64> {
    let mean_diag = (0..n).map(|i| a[i * n + i].abs()).sum::<f64>() / n.max(1) as f64;
    let mut jitter = 0.0;
    for _ in 0..10 {
        let mut l = vec![0.0; n * n];
        let mut ok = true;
        'outer: for i in 0..n {
            for j in 0..=i {
                let mut s = a[i * n + j];
                if i == j {
                    s += jitter;
                }
                for k in 0..j {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if i == j {
                    if s <= 0.0 || !s.is_finite() {
                        ok = false;
                        break 'outer;
                    }
                    l[i * n + i] = s.sqrt();
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        if ok {
            return l;
        }
        jitter = if jitter == 0.0 {
            1e-10 * mean_diag.max(1e-300)
        } else {
            jitter * 10.0
        };
    }
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        l[i * n + i] = a[i * n + i].max(0.0).sqrt();
    }
    l
}

/// The share of the new study's observations (its best ones) that every
/// counted pair of the ranking loss must touch (see the module docs).
pub const TOP_FRACTION: f64 = 0.25;

/// With fewer new observations than this and every old study at weight 0,
/// `propose` space-fills as the plain GP's random startup does (10 trials).
pub const SPACE_FILLING_BELOW: usize = 10;

/// Which observations are among the best `⌈TOP_FRACTION · n⌉` (at least one;
/// ties with the last one included).
fn top_mask(y: &[f64]) -> Vec<bool> {
    let n = y.len();
    let m = ((TOP_FRACTION * n as f64).ceil() as usize).clamp(1, n.max(1));
    let mut s = y.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let threshold = s.get(m - 1).copied().unwrap_or(f64::INFINITY);
    y.iter().map(|&v| v >= threshold).collect()
}

/// Misranked pairs of `f` against `y` among the pairs with at least one
/// member in `top` (pairs with equal `y` left out).
fn misranked(f: &[f64], y: &[f64], top: &[bool]) -> usize {
    let n = y.len();
    let mut c = 0;
    for j in 0..n {
        for k in j + 1..n {
            if (top[j] || top[k]) && y[j] != y[k] && ((f[j] < f[k]) != (y[j] < y[k])) {
                c += 1;
            }
        }
    }
    c
}

/// The `q`-quantile (nearest rank) of `v`.
fn quantile(v: &[usize], q: f64) -> usize {
    let mut s = v.to_vec();
    s.sort_unstable();
    let i = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len().max(1)) - 1;
    s.get(i).copied().unwrap_or(0)
}

/// RGPE weights (see the module docs): one per base task, then the target's.
/// `x` holds the `y.len()` new observations (encoded, projected, row-major).
pub(crate) fn ranking_weights(
    bases: &[Option<BaseModel>],
    target: Option<&FittedGp>,
    x: &[f64],
    d: usize,
    y: &[f64],
    samples: usize,
    seed_value: u64,
) -> Vec<f64> {
    let n = y.len();
    let nb = bases.len();
    let mut rng = Mt64Rng::new(seed_value, seed::TRANSFER_WEIGHTS);
    let top = top_mask(y);
    // losses[model][sample]; None: the model takes no part.
    let mut losses: Vec<Option<Vec<usize>>> = Vec::with_capacity(nb + 1);
    for b in bases {
        let Some(b) = b else {
            losses.push(None);
            continue;
        };
        if n == 0 {
            losses.push(Some(vec![0; samples]));
            continue;
        }
        let xs = b.sub(x, d, n);
        let (mean, cov) = b.gp.posterior_covariance_projected(&xs, n);
        let l = cholesky(&cov, n);
        let mut z = vec![0.0; n];
        let mut f = vec![0.0; n];
        let mut loss = Vec::with_capacity(samples);
        for _ in 0..samples {
            z.iter_mut().for_each(|v| *v = rng.normal());
            for i in 0..n {
                f[i] = mean[i] + (0..=i).map(|k| l[i * n + k] * z[k]).sum::<f64>();
            }
            loss.push(misranked(&f, y, &top));
        }
        losses.push(Some(loss));
    }
    let target_loss = match target {
        Some(t) if n >= 3 => {
            let (mean, sd) = t.leave_one_out();
            let mut f = vec![0.0; n];
            let mut loss = Vec::with_capacity(samples);
            for _ in 0..samples {
                for i in 0..n {
                    f[i] = mean[i] + sd[i] * rng.normal();
                }
                loss.push(misranked(&f, y, &top));
            }
            Some(loss)
        }
        _ => None,
    };
    // Weight-dilution guard.
    if let Some(tl) = &target_loss {
        let p95 = quantile(tl, 0.95);
        for l in losses.iter_mut() {
            if l.as_ref().is_some_and(|v| quantile(v, 0.5) > p95) {
                *l = None;
            }
        }
    }
    losses.push(target_loss);
    let mut w = vec![0.0; nb + 1];
    for s in 0..samples {
        let best = losses.iter().filter_map(|l| l.as_ref().map(|v| v[s])).min();
        let Some(best) = best else { continue };
        let winners: Vec<usize> = (0..=nb)
            .filter(|&i| losses[i].as_ref().is_some_and(|v| v[s] == best))
            .collect();
        let share = 1.0 / winners.len() as f64;
        for i in winners {
            w[i] += share;
        }
    }
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        w.iter_mut().for_each(|v| *v /= total);
    } else if target.is_some() {
        w[nb] = 1.0;
    }
    w
}

/// The weighted ensemble of the base models and the target model.
pub(crate) struct Ensemble<'a> {
    pub bases: &'a [Option<BaseModel>],
    pub target: Option<&'a FittedGp>,
    /// One per base, then the target's.
    pub weights: &'a [f64],
    pub d: usize,
}

impl Surrogate for Ensemble<'_> {
    fn predict_projected(&self, xs: &[f64], m: usize) -> (Vec<f64>, Vec<f64>) {
        let mut mean = vec![0.0; m];
        let mut var = vec![0.0; m];
        let nb = self.bases.len();
        let target = self.target.map(|t| t.predict_projected(xs, m));
        for (b, &w) in self.bases.iter().zip(self.weights) {
            let Some(b) = b.as_ref().filter(|_| w > 0.0) else {
                continue;
            };
            let (mu, sd) = b.gp.predict_projected(&b.sub(xs, self.d, m), m);
            for i in 0..m {
                // Capped by the target model's σ (see the module docs).
                let s = target.as_ref().map_or(sd[i], |(_, ts)| sd[i].min(ts[i]));
                mean[i] += w * mu[i];
                var[i] += w * w * s * s;
            }
        }
        if let (Some((tm, ts)), Some(&w)) = (&target, self.weights.get(nb)) {
            if w > 0.0 {
                for i in 0..m {
                    mean[i] += w * tm[i];
                    var[i] += w * w * ts[i] * ts[i];
                }
            }
        }
        (mean, var.into_iter().map(f64::sqrt).collect())
    }

    fn posterior_with_gradient(&self, x: &[f64]) -> PointPosterior {
        let d = self.d;
        let nb = self.bases.len();
        let mut mean = 0.0;
        let mut var = 0.0;
        let mut d_mean = vec![0.0; d];
        // ∂var/∂x / 2 = Σ w² σ ∂σ.
        let mut d_half_var = vec![0.0; d];
        let target = self.target.map(|t| t.posterior_with_gradient(x));
        for (b, &w) in self.bases.iter().zip(self.weights) {
            let Some(b) = b.as_ref().filter(|_| w > 0.0) else {
                continue;
            };
            let p = b.gp.posterior_with_gradient(&b.sub(x, d, 1));
            mean += w * p.mean;
            for (j, &k) in b.dims.iter().enumerate() {
                d_mean[k] += w * p.d_mean[j];
            }
            match &target {
                Some(t) if t.std < p.std => {
                    var += w * w * t.std * t.std;
                    for (a, g) in d_half_var.iter_mut().zip(&t.d_std) {
                        *a += w * w * t.std * g;
                    }
                }
                _ => {
                    var += w * w * p.std * p.std;
                    for (j, &k) in b.dims.iter().enumerate() {
                        d_half_var[k] += w * w * p.std * p.d_std[j];
                    }
                }
            }
        }
        if let (Some(p), Some(&w)) = (&target, self.weights.get(nb)) {
            if w > 0.0 {
                mean += w * p.mean;
                var += w * w * p.std * p.std;
                for k in 0..d {
                    d_mean[k] += w * p.d_mean[k];
                    d_half_var[k] += w * w * p.std * p.d_std[k];
                }
            }
        }
        let std = var.max(1e-300).sqrt();
        PointPosterior {
            mean,
            std,
            d_mean,
            d_std: d_half_var.iter().map(|v| v / std).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::space::{Domain, Param};

    fn space() -> Space {
        Space::new(
            (0..3)
                .map(|k| Param {
                    name: format!("x{k}"),
                    domain: Domain::Float {
                        low: -2.0,
                        high: 2.0,
                        log: false,
                        step: None,
                    },
                })
                .collect(),
        )
        .unwrap()
    }

    fn points(s: &Space, n: u64, seed: u64) -> Vec<Vec<f64>> {
        (0..n)
            .map(|i| s.from_unit(&crate::random::sobol_point(i, 3, seed)))
            .collect()
    }

    /// The ensemble's batched posterior agrees with the one-point posterior,
    /// and its gradient with central differences, with a base model on a
    /// subset of the dimensions and σ capped by the target model.
    #[test]
    fn ensemble_posterior_and_gradient_agree() {
        let s = space();
        let f = |x: &[f64]| -(x[0] - 0.5).powi(2) - (x[1] + 0.3).powi(2) - 0.2 * x[2];
        let full = BaseTask {
            points: points(&s, 25, 1),
            targets: points(&s, 25, 1).iter().map(|p| f(p)).collect(),
        };
        let mut part = BaseTask {
            points: points(&s, 25, 2),
            targets: points(&s, 25, 2).iter().map(|p| -f(p)).collect(),
        };
        for p in &mut part.points {
            p[2] = f64::NAN;
        }
        let bases = fit_bases(&s, &[full, part], KernelKind::Matern52, 3, 1).unwrap();
        assert_eq!(bases[1].as_ref().unwrap().dims, vec![0, 1]);
        let tp = points(&s, 8, 3);
        let enc: Vec<Vec<f64>> = tp.iter().map(|p| s.encode(p)).collect();
        let y = warp_targets(&tp.iter().map(|p| f(p)).collect::<Vec<f64>>());
        let target = fit_objective_gp(&s, KernelKind::Matern52, 3, 1, None, &enc, &y).unwrap();
        let weights = [0.3, 0.2, 0.5];
        let e = Ensemble {
            bases: &bases,
            target: Some(&target),
            weights: &weights,
            d: 3,
        };
        for u in [[0.3, 0.6, 0.2], [0.71, 0.12, 0.9], [0.5, 0.5, 0.5]] {
            let p = e.posterior_with_gradient(&u);
            let (m, sd) = e.predict_projected(&u, 1);
            assert!((p.mean - m[0]).abs() < 1e-9 && (p.std - sd[0]).abs() < 1e-9);
            for k in 0..3 {
                let h = 1e-6;
                let (mut a, mut b) = (u, u);
                a[k] += h;
                b[k] -= h;
                let (pa, pb) = (e.posterior_with_gradient(&a), e.posterior_with_gradient(&b));
                let dm = (pa.mean - pb.mean) / (2.0 * h);
                let ds = (pa.std - pb.std) / (2.0 * h);
                assert!(
                    (dm - p.d_mean[k]).abs() < 1e-4 * (1.0 + dm.abs()),
                    "{k}: {dm} {}",
                    p.d_mean[k]
                );
                assert!(
                    (ds - p.d_std[k]).abs() < 1e-4 * (1.0 + ds.abs()),
                    "{k}: {ds} {}",
                    p.d_std[k]
                );
            }
        }
    }

    #[test]
    fn misranked_pairs_and_quantiles() {
        let all = [true; 3];
        assert_eq!(misranked(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], &all), 0);
        assert_eq!(misranked(&[3.0, 2.0, 1.0], &[1.0, 2.0, 3.0], &all), 3);
        // Pairs with equal targets do not count.
        assert_eq!(misranked(&[3.0, 2.0, 1.0], &[1.0, 1.0, 3.0], &all), 2);
        // Only pairs touching the top: 8 observations, the best 2 (y = 8, 7).
        let y: Vec<f64> = (1..=8).map(f64::from).collect();
        let top = top_mask(&y);
        assert_eq!(
            top,
            vec![false, false, false, false, false, false, true, true]
        );
        // Reversed: all 28 pairs misranked, 13 of them touch the top two.
        let rev: Vec<f64> = y.iter().rev().copied().collect();
        assert_eq!(misranked(&rev, &y, &[true; 8]), 28);
        assert_eq!(misranked(&rev, &y, &top), 13);
        // The best two predicted worst (their own pair right): 12 of the 13;
        // the misranked pairs among the bottom six do not count.
        let mut f = y.clone();
        f.swap(6, 0);
        f.swap(7, 1);
        assert_eq!(misranked(&f, &y, &top), 12);
        assert_eq!(misranked(&f, &y, &[true; 8]), 12 + 8);
        // Ties with the last of the top are in it; one observation is its own top.
        assert_eq!(
            top_mask(&[1.0, 3.0, 3.0, 2.0]),
            vec![false, true, true, false]
        );
        assert_eq!(top_mask(&[5.0]), vec![true]);
        assert_eq!(quantile(&[5, 1, 3, 2, 4], 0.5), 3);
        assert_eq!(quantile(&(1..=100).collect::<Vec<usize>>(), 0.95), 95);
    }
}
