//! Parzen estimators over a mixed space: one mixture component per observed
//! point plus a prior component, each a product of one kernel per parameter
//! (Bergstra, Bardenet, Bengio & Kégl, *Algorithms for Hyper-Parameter
//! Optimization*, NeurIPS 2011; the bandwidths, prior and weights of Optuna's
//! TPESampler as described in Watanabe, *Tree-Structured Parzen Estimator:
//! Understanding Its Algorithm Components and Their Roles for Better Empirical
//! Performance*, 2023).
//!
//! - Numbers: a normal kernel truncated to the range (on `ln` for log scales;
//!   a range widened by half a step each side for integers and stepped
//!   floats, whose kernels give the mass of the value's step cell). A kernel's
//!   bandwidth is the larger gap to its sorted neighbours (the range's ends
//!   count as neighbours, except for the lowest and highest point once there
//!   are two, unless `consider_endpoints`), clipped to
//!   `[(high − low) / min(100, n + 2), high − low]` (the lower bound is 1e-12
//!   without `consider_magic_clip`). The prior kernel sits at the middle with
//!   the whole range as bandwidth.
//! - Categories: kernel `i` puts `prior_weight / (n + 1)` on every choice plus
//!   1 on its observed choice, normalised; the prior kernel is uniform.
//! - Weights: the given ones (or [`default_weights`]) for the observations and
//!   `prior_weight` for the prior, normalised.
//!
//! Large estimators are built one parameter per task and score their
//! candidates one per task on rayon's pool; every value is computed by the
//! same operations in the same order as on one thread, so the results do
//! not depend on the number of threads.

use std::collections::HashMap;

use rayon::prelude::*;

use super::truncnorm::{log_gauss_mass, ppf, LN_SQRT_2PI};
use super::{TpeError, TpeOptions};
use crate::isa::{wide, Isa};
use crate::random::FastRng;
use crate::space::Domain;

/// One parameter as the estimators see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A number in `[low, high]`, on a log scale or not, on a grid of `step` or not.
    Numeric {
        low: f64,
        high: f64,
        log: bool,
        step: Option<f64>,
    },
    /// One of `n` categories, given by index.
    Categorical { n: usize },
}

impl Kind {
    /// The kind of a space parameter (an integer is a number on a grid of its step; a log-scale integer's step is 1).
    pub fn of(domain: &Domain) -> Kind {
        match *domain {
            Domain::Float {
                low,
                high,
                log,
                step,
            } => Kind::Numeric {
                low,
                high,
                log,
                step,
            },
            Domain::Int {
                low,
                high,
                log,
                step,
            } => Kind::Numeric {
                low: low as f64,
                high: high as f64,
                log,
                step: Some(if log { 1.0 } else { step as f64 }),
            },
            Domain::Categorical { n_choices } => Kind::Categorical { n: n_choices },
        }
    }
}

/// Optuna's default observation weights: 1 for the 25 most recent, a linear
/// ramp from `1/n` up to 1 for the older ones (observations in trial order).
pub fn default_weights(n: usize) -> Vec<f64> {
    if n < 25 {
        return vec![1.0; n];
    }
    let ramp = n - 25;
    let mut w = Vec::with_capacity(n);
    let start = 1.0 / n as f64;
    for i in 0..ramp {
        w.push(if ramp == 1 {
            start
        } else {
            start + (1.0 - start) * i as f64 / (ramp - 1) as f64
        });
    }
    w.extend(std::iter::repeat_n(1.0, 25));
    w
}

#[derive(Debug, Clone)]
enum Dim {
    Numeric {
        mus: Vec<f64>,
        sigmas: Vec<f64>,
        /// The range in the kernels' coordinate (ln on log scales; widened by half a step on grids).
        lo: f64,
        hi: f64,
        log: bool,
        /// Grid: the step and the parameter's own bounds.
        grid: Option<(f64, f64, f64)>,
        /// `ln` of each kernel's mass on `[lo, hi]`.
        log_norm: Vec<f64>,
        /// Grid: the distinct kernels `(μ, σ)` (observations on a grid repeat
        /// and share bandwidths) and each kernel's index among them, so a
        /// cell's mass is computed once per distinct kernel.
        distinct: Vec<(f64, f64)>,
        distinct_of: Vec<u32>,
        /// `−ln √(2π) − ln σ − log_norm` of each kernel: its log density is `−z²/2` plus this.
        log_c: Vec<f64>,
    },
    Categorical {
        n: usize,
        /// Kernel-major probabilities (`n_kernels × n`) and their logarithms.
        probs: Vec<f64>,
        log_probs: Vec<f64>,
    },
}

/// A Parzen estimator: a weighted mixture of product kernels.
#[derive(Debug, Clone)]
pub struct ParzenEstimator {
    weights: Vec<f64>,
    log_weights: Vec<f64>,
    dims: Vec<Dim>,
}

impl ParzenEstimator {
    /// The estimator of `observations` (row-major, one row of `kinds.len()`
    /// values per observation, categories as indices) with `weights` (one per
    /// observation; [`default_weights`] when `None`), a prior of weight
    /// `options.prior_weight` and the bandwidth rules of `options`
    /// (`n_candidates` is not used).
    pub fn new(
        kinds: &[Kind],
        observations: &[f64],
        weights: Option<&[f64]>,
        options: &TpeOptions,
    ) -> Result<Self, TpeError> {
        Self::with_ties(kinds, observations, weights, options, None)
    }

    /// [`Self::new`], with how equal observations of a numeric parameter are
    /// ordered when their bandwidths are set: in observation order (`None`)
    /// or in an order drawn from `tie_seed`, independently per parameter.
    ///
    /// Equal observations are common on integer and stepped grids, and the
    /// neighbour rule gives the first and last of a run of equal values the
    /// gaps to the next distinct values and the ones between the minimum
    /// bandwidth. In observation order the same early observation is first
    /// of its run in every parameter, so its kernel comes out wide in all of
    /// them at once and the others narrow in all; a drawn order makes the
    /// width of a kernel in one parameter independent of its width in the
    /// others. (Optuna's argsort is not stable either: numpy's default sort
    /// reorders ties in arrays of more than 16 values.)
    pub fn with_ties(
        kinds: &[Kind],
        observations: &[f64],
        weights: Option<&[f64]>,
        options: &TpeOptions,
        tie_seed: Option<u64>,
    ) -> Result<Self, TpeError> {
        let prior_weight = options.prior_weight;
        let d = kinds.len();
        if d == 0 {
            return Err(TpeError::EmptySpace);
        }
        if !observations.len().is_multiple_of(d) {
            return Err(TpeError::Shape {
                what: "observations",
                len: observations.len(),
                width: d,
            });
        }
        if !(prior_weight.is_finite() && prior_weight > 0.0) {
            return Err(TpeError::PriorWeight(prior_weight));
        }
        let n = observations.len() / d;
        let mut w = match weights {
            Some(w) if w.len() != n => {
                return Err(TpeError::Shape {
                    what: "weights",
                    len: w.len(),
                    width: n,
                })
            }
            Some(w) => {
                if w.iter().any(|&v| !(v.is_finite() && v >= 0.0)) {
                    return Err(TpeError::Weights);
                }
                w.to_vec()
            }
            None => default_weights(n),
        };
        if n == 0 {
            w = vec![1.0];
        } else {
            w.push(prior_weight);
        }
        let total: f64 = w.iter().sum();
        for v in &mut w {
            *v /= total;
        }
        let dim = |(j, kind): (usize, &Kind)| {
            let column: Vec<f64> = (0..n).map(|i| observations[i * d + j]).collect();
            match *kind {
                Kind::Categorical { n: choices } => categorical(&column, choices, prior_weight),
                Kind::Numeric {
                    low,
                    high,
                    log,
                    step,
                } => {
                    let ties =
                        tie_seed.map(|seed| seed ^ (j as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                    numeric(&column, low, high, log, step, options, ties)
                }
            }
        };
        let dims = if n * d >= PARALLEL_MIN_WORK {
            kinds
                .par_iter()
                .enumerate()
                .map(dim)
                .collect::<Result<Vec<_>, _>>()?
        } else {
            kinds
                .iter()
                .enumerate()
                .map(dim)
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Self {
            log_weights: w.iter().map(|v| v.ln()).collect(),
            weights: w,
            dims,
        })
    }

    /// The number of mixture components (observations + the prior).
    pub fn n_kernels(&self) -> usize {
        self.weights.len()
    }

    /// The log density at `x` (one value per parameter), in the kernels'
    /// coordinates (per `ln x` on log scales: the Jacobian is the same for
    /// every estimator of a space, so ratios of densities need none).
    pub fn log_pdf(&self, x: &[f64]) -> f64 {
        self.log_pdf_many(std::slice::from_ref(&x.to_vec()))[0]
    }

    /// [`Self::log_pdf`] at each of `xs`. A grid parameter's cell masses are
    /// computed once per distinct value (candidates share few values), and
    /// the normal kernels' constants once per estimator.
    pub fn log_pdf_many(&self, xs: &[Vec<f64>]) -> Vec<f64> {
        let k = self.n_kernels();
        let parallel = k * xs.len() >= PARALLEL_MIN_WORK;
        let cells: Vec<Cells> = self
            .dims
            .iter()
            .enumerate()
            .map(|(j, dim)| grid_cells(dim, xs.iter().map(|x| x[j]), parallel))
            .collect();
        let one = |acc: &mut Vec<f64>, x: &Vec<f64>| self.log_pdf_with(acc, x, &cells);
        if parallel {
            xs.par_iter().map_init(|| vec![0.0; k], one).collect()
        } else {
            let mut acc = vec![0.0; k];
            xs.iter().map(|x| one(&mut acc, x)).collect()
        }
    }

    /// The log density at `x`, with `acc` (one slot per kernel) as scratch
    /// and the grid parameters' cell masses from `cells`.
    fn log_pdf_with(&self, acc: &mut [f64], x: &[f64], cells: &[Cells]) -> f64 {
        log_pdf_at(Isa::detect(), &self.dims, &self.log_weights, acc, x, cells)
    }

    /// `n` points drawn from the mixture (values as the space has them: numbers on their grid, category indices).
    pub fn sample(&self, rng: &mut FastRng, n: usize) -> Vec<Vec<f64>> {
        let mut cumulative = Vec::with_capacity(self.weights.len());
        let mut acc = 0.0;
        for w in &self.weights {
            acc += w;
            cumulative.push(acc);
        }
        (0..n)
            .map(|_| {
                let u = rng.uniform() * acc;
                let k = cumulative
                    .iter()
                    .position(|&c| u < c)
                    .unwrap_or(cumulative.len() - 1);
                self.dims
                    .iter()
                    .map(|dim| match dim {
                        Dim::Categorical { n, probs, .. } => {
                            let row = &probs[k * n..(k + 1) * n];
                            let u = rng.uniform();
                            let mut c = 0.0;
                            let mut pick = n - 1;
                            for (i, p) in row.iter().enumerate() {
                                c += p;
                                if u < c {
                                    pick = i;
                                    break;
                                }
                            }
                            pick as f64
                        }
                        Dim::Numeric {
                            mus,
                            sigmas,
                            lo,
                            hi,
                            log,
                            grid,
                            ..
                        } => {
                            let (mu, s) = (mus[k], sigmas[k]);
                            let z = ppf(rng.uniform(), (lo - mu) / s, (hi - mu) / s);
                            let t = mu + s * z;
                            let x = if *log { t.exp() } else { t };
                            match grid {
                                None => x.clamp(
                                    if *log { lo.exp() } else { *lo },
                                    if *log { hi.exp() } else { *hi },
                                ),
                                Some((step, low, high)) => {
                                    (low + ((x - low) / step).round() * step).clamp(*low, *high)
                                }
                            }
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

wide! {
    /// The log density of the mixture (`dims`, `log_weights`) at `x`, with `acc`
    /// (one slot per kernel) as scratch and the grid parameters' cell masses from
    /// `cells`.
    fn log_pdf_at(
        dims: &[Dim],
        log_weights: &[f64],
        acc: &mut [f64],
        x: &[f64],
        cells: &[Cells],
    ) -> f64 {
        acc.copy_from_slice(log_weights);
        for ((dim, &v), cells) in dims.iter().zip(x).zip(cells) {
            match dim {
                Dim::Categorical { n, log_probs, .. } => {
                    let c = v as usize;
                    for (i, a) in acc.iter_mut().enumerate() {
                        *a += if c < *n {
                            log_probs[i * n + c]
                        } else {
                            f64::NEG_INFINITY
                        };
                    }
                }
                Dim::Numeric {
                    mus,
                    sigmas,
                    lo,
                    hi,
                    log,
                    grid,
                    log_c,
                    ..
                } => match grid {
                    None => {
                        let t = if *log { v.ln() } else { v };
                        if !(t >= *lo && t <= *hi) {
                            acc.iter_mut().for_each(|a| *a = f64::NEG_INFINITY);
                            continue;
                        }
                        for (((a, mu), s), c) in acc.iter_mut().zip(mus).zip(sigmas).zip(log_c) {
                            let z = (t - mu) / s;
                            *a += -0.5 * z * z + c;
                        }
                    }
                    Some(_) => {
                        let key = v.to_bits();
                        if let Some((_, masses)) = cells.iter().find(|(b, _)| *b == key) {
                            for (a, m) in acc.iter_mut().zip(masses) {
                                *a += m;
                            }
                        }
                    }
                },
            }
        }
        log_sum_exp(acc)
    }
}

/// An integer that orders like [`f64::total_cmp`] orders `x`.
fn total_order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    // negative numbers: flip every bit but the sign, so larger magnitudes sort lower
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// splitmix64's output function: a tie-break key per observation.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A kernel at least this many bandwidths inside both ends of the range has
/// mass 1 on it for every purpose (the rest is below 1e-20).
const TAIL_Z: f64 = 9.5;

/// Estimators with at least this many kernel × parameter (or kernel ×
/// candidate) values work on rayon's pool; smaller ones on the caller's thread.
const PARALLEL_MIN_WORK: usize = 4096;

/// A grid parameter's distinct values (by bits) and each kernel's log mass of
/// the value's cell, normalised by the kernel's mass on the range.
type Cells = Vec<(u64, Vec<f64>)>;

/// The cells of `values` for a grid dimension (nothing for other dimensions).
fn grid_cells(dim: &Dim, values: impl Iterator<Item = f64>, parallel: bool) -> Cells {
    let Dim::Numeric {
        log,
        grid: Some((step, _, _)),
        log_norm,
        distinct,
        distinct_of,
        ..
    } = dim
    else {
        return Vec::new();
    };
    let mut seen: Vec<f64> = Vec::new();
    for v in values {
        if !seen.iter().any(|d| d.to_bits() == v.to_bits()) {
            seen.push(v);
        }
    }
    let masses = |&v: &f64| -> (u64, Vec<f64>) {
        let (left, right) = if *log {
            ((v - step / 2.0).ln(), (v + step / 2.0).ln())
        } else {
            (v - step / 2.0, v + step / 2.0)
        };
        let per_kernel: Vec<f64> = distinct
            .iter()
            .map(|(mu, s)| log_gauss_mass((left - mu) / s, (right - mu) / s))
            .collect();
        let m = distinct_of
            .iter()
            .zip(log_norm)
            .map(|(&k, ln)| per_kernel[k as usize] - ln)
            .collect();
        (v.to_bits(), m)
    };
    if parallel {
        seen.par_iter().map(masses).collect()
    } else {
        seen.iter().map(masses).collect()
    }
}

/// `ln` of each of `values`, computed once per distinct value (a categorical
/// estimator's probabilities take a handful of values).
fn ln_each(values: &[f64]) -> Vec<f64> {
    let mut seen: Vec<(u64, f64)> = Vec::new();
    values
        .iter()
        .map(|&p| match seen.iter().find(|(b, _)| *b == p.to_bits()) {
            Some(&(_, l)) => l,
            None => {
                let l = p.ln();
                if seen.len() < 16 {
                    seen.push((p.to_bits(), l));
                }
                l
            }
        })
        .collect()
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    // exp underflows to exactly 0 below −745.14: such terms are skipped, which
    // leaves the sum unchanged (most kernels are far from a candidate)
    let mut sum = 0.0;
    for &x in v {
        let d = x - m;
        if d > -746.0 {
            sum += d.exp();
        }
    }
    m + sum.ln()
}

fn categorical(column: &[f64], n: usize, prior_weight: f64) -> Result<Dim, TpeError> {
    if n == 0 {
        return Err(TpeError::NoChoices);
    }
    if column.is_empty() {
        let probs = vec![1.0 / n as f64; n];
        return Ok(Dim::Categorical {
            n,
            log_probs: ln_each(&probs),
            probs,
        });
    }
    let kernels = column.len() + 1;
    let mut probs = vec![prior_weight / kernels as f64; kernels * n];
    for (i, &v) in column.iter().enumerate() {
        if !(v >= 0.0 && (v as usize) < n && v.fract() == 0.0) {
            return Err(TpeError::Observation {
                value: v,
                what: format!("a category index below {n}"),
            });
        }
        probs[i * n + v as usize] += 1.0;
    }
    for row in probs.chunks_mut(n) {
        let s: f64 = row.iter().sum();
        if s > 0.0 {
            for p in row {
                *p /= s;
            }
        }
    }
    Ok(Dim::Categorical {
        n,
        log_probs: ln_each(&probs),
        probs,
    })
}

fn numeric(
    column: &[f64],
    low: f64,
    high: f64,
    log: bool,
    step: Option<f64>,
    options: &TpeOptions,
    tie_seed: Option<u64>,
) -> Result<Dim, TpeError> {
    let (mut lo, mut hi) = (low, high);
    if let Some(s) = step {
        lo -= s / 2.0;
        hi += s / 2.0;
    }
    if log {
        lo = lo.ln();
        hi = hi.ln();
    }
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(TpeError::Range { low, high });
    }
    let mut mus = Vec::with_capacity(column.len() + 1);
    for &v in column {
        if !(v >= low && v <= high) {
            return Err(TpeError::Observation {
                value: v,
                what: format!("a number in [{low}, {high}]"),
            });
        }
        mus.push(if log { v.ln() } else { v });
    }
    let n = mus.len();
    // by μ (`total_cmp`), then by the high half of the tie key, then by
    // position, packed in one integer per observation for one unstable sort
    // of plain integers (positions fit in 32 bits: a history comes from
    // JavaScript typed arrays, which hold fewer than 2³² entries)
    let mut keys: Vec<u128> = mus
        .iter()
        .enumerate()
        .map(|(i, &m)| {
            let tie = tie_seed.map_or(0, |seed| {
                mix64(seed ^ (i as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9)) >> 32
            });
            let mu = (total_order_key(m) as u64) ^ (1 << 63);
            (u128::from(mu) << 64) | (u128::from(tie) << 32) | i as u128
        })
        .collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|k| (k as u32) as usize).collect();
    let mut ends = Vec::with_capacity(n + 2);
    ends.push(lo);
    ends.extend(order.iter().map(|&i| mus[i]));
    ends.push(hi);
    let mut sorted_sigmas: Vec<f64> = (1..=n)
        .map(|i| (ends[i] - ends[i - 1]).max(ends[i + 1] - ends[i]))
        .collect();
    if n >= 2 && !options.consider_endpoints {
        // The range's ends are not neighbours of the lowest and highest points.
        sorted_sigmas[0] = ends[2] - ends[1];
        sorted_sigmas[n - 1] = ends[n] - ends[n - 1];
    }
    let max_sigma = hi - lo;
    let min_sigma = if options.consider_magic_clip {
        (hi - lo) / (100.0f64).min(1.0 + (n + 1) as f64)
    } else {
        1e-12
    };
    let mut sigmas = vec![0.0; n];
    for (rank, &i) in order.iter().enumerate() {
        sigmas[i] = sorted_sigmas[rank].clamp(min_sigma, max_sigma);
    }
    mus.push(0.5 * (lo + hi));
    sigmas.push(hi - lo);
    let mass = |(m, s): (&f64, &f64)| {
        let (a, b) = ((lo - m) / s, (hi - m) / s);
        if a <= -TAIL_Z && b >= TAIL_Z {
            // the mass outside is below 1e-20: its logarithm is lost in the
            // rounding of every log density it enters (and its erfc is costly)
            0.0
        } else {
            log_gauss_mass(a, b)
        }
    };
    let (log_norm, distinct, distinct_of) = if step.is_some() {
        let mut index: HashMap<(u64, u64), u32> = HashMap::new();
        let mut distinct: Vec<(f64, f64)> = Vec::new();
        let distinct_of: Vec<u32> = mus
            .iter()
            .zip(&sigmas)
            .map(|(&m, &s)| {
                *index.entry((m.to_bits(), s.to_bits())).or_insert_with(|| {
                    distinct.push((m, s));
                    (distinct.len() - 1) as u32
                })
            })
            .collect();
        let masses: Vec<f64> = distinct.iter().map(|(m, s)| mass((m, s))).collect();
        let log_norm = distinct_of.iter().map(|&k| masses[k as usize]).collect();
        (log_norm, distinct, distinct_of)
    } else {
        let log_norm = mus.iter().zip(&sigmas).map(mass).collect();
        (log_norm, Vec::new(), Vec::new())
    };
    // most bandwidths of a large estimator are clipped to `min_sigma`: its
    // logarithm is computed once (the same value `ln` gives each time)
    let ln_min_sigma = min_sigma.ln();
    let log_c = sigmas
        .iter()
        .zip(&log_norm)
        .map(|(&s, z)| {
            let ln_s = if s.to_bits() == min_sigma.to_bits() {
                ln_min_sigma
            } else {
                s.ln()
            };
            -LN_SQRT_2PI - ln_s - z
        })
        .collect();
    Ok(Dim::Numeric {
        mus,
        sigmas,
        lo,
        hi,
        log,
        grid: step.map(|s| (s, low, high)),
        log_norm,
        distinct,
        distinct_of,
        log_c,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn int(low: f64, high: f64) -> Kind {
        Kind::Numeric {
            low,
            high,
            log: false,
            step: Some(1.0),
        }
    }

    fn sigmas(pe: &ParzenEstimator, j: usize) -> Vec<f64> {
        match &pe.dims[j] {
            Dim::Numeric { sigmas, .. } => sigmas.clone(),
            Dim::Categorical { .. } => Vec::new(),
        }
    }

    /// Two integer parameters whose observations repeat (runs of ties).
    fn tied() -> (Vec<Kind>, Vec<f64>) {
        let rows = [
            [2.0, 5.0],
            [2.0, 5.0],
            [2.0, 5.0],
            [4.0, 1.0],
            [4.0, 5.0],
            [2.0, 1.0],
            [7.0, 5.0],
            [4.0, 1.0],
        ];
        (vec![int(0.0, 9.0), int(0.0, 9.0)], rows.concat())
    }

    #[test]
    fn drawn_tie_order_only_permutes_the_bandwidths_of_equal_observations() -> Result<(), TpeError>
    {
        let (kinds, obs) = tied();
        let options = TpeOptions::default();
        let stable = ParzenEstimator::new(&kinds, &obs, None, &options)?;
        for seed in 0..20 {
            let drawn = ParzenEstimator::with_ties(&kinds, &obs, None, &options, Some(seed))?;
            for j in 0..2 {
                let (a, b) = (sigmas(&stable, j), sigmas(&drawn, j));
                // the same bandwidths, each kept by an observation of the same value
                let column: Vec<f64> = (0..8).map(|i| obs[i * 2 + j]).collect();
                for v in [1.0, 2.0, 4.0, 5.0, 7.0] {
                    let mut sa: Vec<f64> =
                        (0..8).filter(|&i| column[i] == v).map(|i| a[i]).collect();
                    let mut sb: Vec<f64> =
                        (0..8).filter(|&i| column[i] == v).map(|i| b[i]).collect();
                    sa.sort_by(f64::total_cmp);
                    sb.sort_by(f64::total_cmp);
                    assert_eq!(sa, sb, "value {v} of parameter {j}, seed {seed}");
                }
                assert_eq!(a[8], b[8], "the prior's bandwidth");
            }
        }
        Ok(())
    }

    #[test]
    fn in_observation_order_the_ends_of_a_run_are_wide_everywhere_and_a_drawn_order_decouples_them(
    ) -> Result<(), TpeError> {
        // observations 0, 1, 2 and 5 tie in both parameters, between others
        let rows = [
            [4.0, 5.0],
            [4.0, 5.0],
            [4.0, 5.0],
            [1.0, 2.0],
            [8.0, 8.0],
            [4.0, 5.0],
            [1.0, 2.0],
            [8.0, 8.0],
        ];
        let (kinds, obs) = (vec![int(0.0, 9.0), int(0.0, 9.0)], rows.concat());
        let options = TpeOptions::default();
        let run = [0, 1, 2, 5];
        let wide =
            |s: &[f64]| -> Vec<usize> { run.iter().copied().filter(|&i| s[i] > 1.0).collect() };
        let stable = ParzenEstimator::new(&kinds, &obs, None, &options)?;
        // in observation order the first and last of the run (0 and 5) are
        // wide in both parameters, 1 and 2 narrow in both
        assert_eq!(wide(&sigmas(&stable, 0)), vec![0, 5]);
        assert_eq!(wide(&sigmas(&stable, 1)), vec![0, 5]);
        let mut seen = std::collections::HashSet::new();
        let mut decoupled = 0;
        for seed in 0..40 {
            let drawn = ParzenEstimator::with_ties(&kinds, &obs, None, &options, Some(seed))?;
            let (w0, w1) = (wide(&sigmas(&drawn, 0)), wide(&sigmas(&drawn, 1)));
            assert_eq!(
                (w0.len(), w1.len()),
                (2, 2),
                "two wide kernels per run, seed {seed}"
            );
            decoupled += usize::from(w0 != w1);
            seen.extend(w0);
        }
        assert_eq!(
            seen.len(),
            4,
            "each tied observation is sometimes a wide one"
        );
        assert!(
            decoupled >= 20,
            "different wide kernels in the two parameters in {decoupled} of 40"
        );
        Ok(())
    }

    #[test]
    fn with_equal_weights_the_tie_order_leaves_a_one_parameter_density_unchanged(
    ) -> Result<(), TpeError> {
        let kinds = vec![int(0.0, 9.0)];
        let obs = [3.0, 3.0, 3.0, 6.0, 6.0, 1.0, 3.0];
        let w = vec![1.0; obs.len()];
        let options = TpeOptions::default();
        let stable = ParzenEstimator::new(&kinds, &obs, Some(&w), &options)?;
        for seed in 0..10 {
            let drawn = ParzenEstimator::with_ties(&kinds, &obs, Some(&w), &options, Some(seed))?;
            for x in 0..10 {
                let (a, b) = (stable.log_pdf(&[x as f64]), drawn.log_pdf(&[x as f64]));
                assert!((a - b).abs() < 1e-12, "x = {x}: {a} vs {b}");
            }
        }
        Ok(())
    }

    /// The AVX2 build of the log density gives the baseline build's value
    /// bit for bit (floats, a log scale, an integer grid, a categorical;
    /// candidates inside and outside the range). Without AVX2 both calls
    /// run the baseline.
    #[test]
    fn avx2_log_density_matches_the_baseline_bit_for_bit() {
        let kinds = [
            Kind::Numeric {
                low: -5.0,
                high: 5.0,
                log: false,
                step: None,
            },
            Kind::Numeric {
                low: 1e-5,
                high: 1.0,
                log: true,
                step: None,
            },
            int(1.0, 20.0),
            Kind::Categorical { n: 4 },
        ];
        let mut rng = FastRng::new(7);
        let draw = |rng: &mut FastRng| {
            vec![
                rng.uniform() * 10.0 - 5.0,
                (rng.uniform() * 11.5 - 11.5).exp().max(1e-5),
                (rng.uniform() * 20.0).floor().clamp(0.0, 19.0) + 1.0,
                (rng.uniform() * 4.0).floor().min(3.0),
            ]
        };
        for n in [0usize, 1, 7, 60, 301] {
            let obs: Vec<f64> = (0..n).flat_map(|_| draw(&mut rng)).collect();
            let pe =
                ParzenEstimator::with_ties(&kinds, &obs, None, &TpeOptions::default(), Some(3))
                    .unwrap();
            let mut xs: Vec<Vec<f64>> = (0..20).map(|_| draw(&mut rng)).collect();
            xs.push(vec![6.0, 0.5, 3.0, 1.0]); // outside the first range
            for x in &xs {
                let cells: Vec<Cells> = pe
                    .dims
                    .iter()
                    .enumerate()
                    .map(|(j, dim)| grid_cells(dim, std::iter::once(x[j]), false))
                    .collect();
                let mut acc = vec![0.0; pe.n_kernels()];
                let base = log_pdf_at(
                    Isa::baseline(),
                    &pe.dims,
                    &pe.log_weights,
                    &mut acc,
                    x,
                    &cells,
                );
                let wide = log_pdf_at(
                    Isa::detect(),
                    &pe.dims,
                    &pe.log_weights,
                    &mut acc,
                    x,
                    &cells,
                );
                assert_eq!(base.to_bits(), wide.to_bits(), "n = {n}, x = {x:?}");
            }
        }
    }
}
