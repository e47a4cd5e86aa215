//! PED-ANOVA (Watanabe, Bansal & Hutter, IJCAI 2023): the importance of a
//! parameter is the Pearson divergence between the Parzen estimator of its
//! values among the top-`target_quantile` trials and the one among the
//! top-`region_quantile` trials, both on a grid of the parameter's domain.
//!
//! The published method as Optuna 5.1's `PedAnovaImportanceEvaluator` applies
//! it (its defaults and grid rules), written from the paper and that
//! description:
//!
//! - the top trials are those whose target is at most the
//!   `⌈q·n⌉`-th smallest target (ties kept);
//! - a numerical parameter is counted on a grid of `min(50, levels)` equally
//!   spaced points of `[low, high]` (log space for a log parameter; for a log
//!   integer, `⌈log₂(high − low + 1)⌉ + 1` points at most), each value on its
//!   nearest point (a midpoint tie to the lower one); a categorical
//!   parameter is counted per category;
//! - the estimator over grid indices is a mixture of one discretised
//!   truncated normal per occupied grid point, weighted by its count, with
//!   Scott's bandwidth `1.059 · min(IQR/1.34, σ) · N^(−1/5)` (at least
//!   0.5/1.64 grid steps), plus a prior kernel of weight `prior_weight`
//!   (centre of the grid, width the grid's size); a categorical estimator
//!   mixes, per occupied category, a kernel that puts `1 + prior_weight/k`
//!   on it and `prior_weight/k` on every category (k = occupied + 1),
//!   plus the uniform prior;
//! - the divergence is `Σ_g p_region(g) (p_top(g)/p_region(g) − 1)²` over the
//!   grid, both densities lifted by 1e-12; with `evaluate_on_local = false`
//!   the region density is the uniform one over the grid;
//! - the importance is the divergence times `(|top| / |region|)²`.

use crate::space::Domain;
use crate::tpe::truncnorm::log_gauss_mass;

use super::{ImportanceError, Trials};

/// PED-ANOVA's options (Optuna 5.1's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct PedAnovaOptions {
    /// The top quantile whose distribution is compared (Optuna's
    /// `target_quantile`, γ′ in the paper): 0.1.
    pub target_quantile: f64,
    /// The quantile of trials that defines the region compared against
    /// (`region_quantile`, γ): 1.0, the whole set.
    pub region_quantile: f64,
    /// Compare with the region's trials (true) or with the uniform
    /// distribution over the domain (false): true.
    pub evaluate_on_local: bool,
    /// Grid points of a continuous domain: 50.
    pub n_steps: usize,
    /// Weight of the prior kernel: 1.0.
    pub prior_weight: f64,
}

impl Default for PedAnovaOptions {
    fn default() -> Self {
        Self {
            target_quantile: 0.1,
            region_quantile: 1.0,
            evaluate_on_local: true,
            n_steps: 50,
            prior_weight: 1.0,
        }
    }
}

impl PedAnovaOptions {
    /// Checks `0 < target_quantile < region_quantile ≤ 1`, `n_steps ≥ 2`,
    /// a finite `prior_weight ≥ 0`.
    pub fn check(&self) -> Result<(), ImportanceError> {
        let t = self.target_quantile;
        if !(t > 0.0 && t < 1.0) {
            return Err(ImportanceError::InvalidOption {
                option: "targetQuantile",
                expected: "in (0, 1)",
                value: t,
            });
        }
        let r = self.region_quantile;
        if !(r > t && r <= 1.0) {
            return Err(ImportanceError::InvalidOption {
                option: "regionQuantile",
                expected: "in (targetQuantile, 1]",
                value: r,
            });
        }
        if self.n_steps < 2 {
            return Err(ImportanceError::InvalidOption {
                option: "nSteps",
                expected: "at least 2",
                value: self.n_steps as f64,
            });
        }
        if !(self.prior_weight >= 0.0 && self.prior_weight.is_finite()) {
            return Err(ImportanceError::InvalidOption {
                option: "priorWeight",
                expected: "a finite number ≥ 0",
                value: self.prior_weight,
            });
        }
        Ok(())
    }
}

/// Rows whose target is at most the `⌈q·n⌉`-th smallest one (all if q = 1).
pub fn top_quantile(targets: &[f64], rows: &[usize], q: f64) -> Vec<usize> {
    if q >= 1.0 || rows.is_empty() {
        return rows.to_vec();
    }
    let mut sorted: Vec<f64> = rows.iter().map(|&i| targets[i]).collect();
    let k = ((q * sorted.len() as f64).ceil() as usize)
        .saturating_sub(1)
        .min(sorted.len() - 1);
    let (_, cutoff, _) = sorted.select_nth_unstable_by(k, f64::total_cmp);
    let cutoff = *cutoff;
    rows.iter()
        .copied()
        .filter(|&i| targets[i] <= cutoff)
        .collect()
}

/// Whether a domain has one value only.
pub(crate) fn single(d: &Domain) -> bool {
    match *d {
        Domain::Float { low, high, .. } => low == high,
        Domain::Int { low, high, .. } => low == high,
        Domain::Categorical { n_choices } => n_choices <= 1,
    }
}

/// The grid of a parameter: its size and a value's grid index.
enum Grid {
    Numeric {
        n: usize,
        low: f64,
        step: f64,
        log: bool,
    },
    Categorical {
        n: usize,
    },
}

impl Grid {
    fn of(d: &Domain, n_steps: usize) -> Grid {
        match *d {
            Domain::Categorical { n_choices } => Grid::Categorical { n: n_choices },
            Domain::Int {
                low,
                high,
                log,
                step,
            } => {
                let n = if log {
                    let size = (high - low + 1) as f64;
                    ((size.ln() / 2f64.ln()).ceil() as usize + 1).min(n_steps)
                } else {
                    (((high - low) as f64 / step as f64).round() as usize + 1).min(n_steps)
                };
                Grid::numeric(low as f64, high as f64, log, n)
            }
            Domain::Float {
                low,
                high,
                log,
                step,
            } => {
                let n = match step {
                    Some(s) if !log => (((high - low) / s).round() as usize + 1).min(n_steps),
                    _ => n_steps,
                };
                Grid::numeric(low, high, log, n)
            }
        }
    }

    fn numeric(low: f64, high: f64, log: bool, n: usize) -> Grid {
        let (lo, hi) = if log {
            (low.ln(), high.ln())
        } else {
            (low, high)
        };
        Grid::Numeric {
            n,
            low: lo,
            step: (hi - lo) / (n - 1) as f64,
            log,
        }
    }

    fn size(&self) -> usize {
        match *self {
            Grid::Numeric { n, .. } | Grid::Categorical { n } => n,
        }
    }

    fn index(&self, v: f64) -> usize {
        match *self {
            Grid::Categorical { n } => (v as usize).min(n - 1),
            Grid::Numeric { n, low, step, log } => {
                let x = if log { v.ln() } else { v };
                // nearest grid point; a midpoint tie goes to the lower one
                let k = ((x - low) / step - 0.5).ceil();
                if k <= 0.0 {
                    0
                } else {
                    (k as usize).min(n - 1)
                }
            }
        }
    }

    fn counts(&self, trials: &Trials<'_>, j: usize, rows: &[usize]) -> Vec<f64> {
        let mut c = vec![0.0; self.size()];
        for &i in rows {
            c[self.index(trials.value(i, j))] += 1.0;
        }
        c
    }
}

/// The Parzen estimator's probabilities at every grid index, from the counts.
fn parzen_pmf(counts: &[f64], categorical: bool, prior_weight: f64) -> Vec<f64> {
    let n = counts.len();
    let obs: Vec<usize> = (0..n).filter(|&g| counts[g] > 0.0).collect();
    let w: Vec<f64> = obs.iter().map(|&g| counts[g]).collect();
    if obs.is_empty() {
        return vec![1.0 / n as f64; n];
    }
    // mixture weights: the counts and the prior, normalised
    let total: f64 = w.iter().sum::<f64>() + prior_weight;
    let mix: Vec<f64> = w
        .iter()
        .chain(std::iter::once(&prior_weight))
        .map(|x| x / total)
        .collect();
    if categorical {
        let k = (obs.len() + 1) as f64;
        let base = prior_weight / k;
        let row_sum = base * n as f64;
        let mut out = vec![0.0; n];
        for (g, slot) in out.iter_mut().enumerate() {
            // kernels of the occupied categories
            let mut p = 0.0;
            for (m, &o) in obs.iter().enumerate() {
                let hit = if o == g { 1.0 } else { 0.0 };
                let den = row_sum + 1.0;
                p += mix[m] * (base + hit) / den;
            }
            // the prior kernel: uniform (its row has no observation)
            let prior = if row_sum == 0.0 { 0.0 } else { base / row_sum };
            p += mix[obs.len()] * prior;
            *slot = p;
        }
        return out;
    }
    // Scott's bandwidth over grid indices
    let xs: Vec<f64> = obs.iter().map(|&g| g as f64).collect();
    let wsum: f64 = w.iter().sum();
    let mean = xs.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() / wsum;
    let var = xs
        .iter()
        .zip(&w)
        .map(|(x, w)| (x - mean).powi(2) * w)
        .sum::<f64>()
        / (wsum - 1.0).max(1.0);
    let mut sigma = var.sqrt();
    let mut cum = Vec::with_capacity(w.len());
    let mut acc = 0.0;
    for x in &w {
        acc += x;
        cum.push(acc);
    }
    let q1 = (wsum / 4.0).floor();
    let q3 = (wsum * 3.0 / 4.0).floor();
    let q1_idx = cum.partition_point(|&c| c < q1);
    let q3_idx = cum.partition_point(|&c| c <= q3);
    let last = xs.len() - 1;
    let iqr = xs[q3_idx.min(last)] - xs[q1_idx.min(last)];
    sigma = 1.059 * (iqr / 1.34).min(sigma) * wsum.powf(-0.2);
    let sigma = sigma.max(0.5 / 1.64);
    let lo = -0.5;
    let hi = n as f64 - 0.5;
    let prior_mu = (n - 1) as f64 / 2.0;
    let prior_sigma = n as f64;
    let kernels: Vec<(f64, f64)> = xs
        .iter()
        .map(|&x| (x, sigma))
        .chain(std::iter::once((prior_mu, prior_sigma)))
        .collect();
    let norms: Vec<f64> = kernels
        .iter()
        .map(|&(mu, s)| log_gauss_mass((lo - mu) / s, (hi - mu) / s))
        .collect();
    (0..n)
        .map(|g| {
            let x = g as f64;
            let logs: Vec<f64> = kernels
                .iter()
                .zip(&norms)
                .zip(&mix)
                .map(|((&(mu, s), &z), &m)| {
                    m.ln() + log_gauss_mass((x - 0.5 - mu) / s, (x + 0.5 - mu) / s) - z
                })
                .collect();
            let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if top == f64::NEG_INFINITY {
                return 0.0;
            }
            top.exp() * logs.iter().map(|l| (l - top).exp()).sum::<f64>()
        })
        .collect()
}

/// The Pearson divergence of parameter `j`'s top density from its region's.
fn divergence(
    trials: &Trials<'_>,
    j: usize,
    top: &[usize],
    region: &[usize],
    o: &PedAnovaOptions,
) -> f64 {
    let domain = &trials.space.params()[j].domain;
    let grid = Grid::of(domain, o.n_steps);
    let categorical = matches!(grid, Grid::Categorical { .. });
    let p_top = parzen_pmf(&grid.counts(trials, j, top), categorical, o.prior_weight);
    let n = grid.size();
    let p_local: Vec<f64> = if o.evaluate_on_local {
        parzen_pmf(&grid.counts(trials, j, region), categorical, o.prior_weight)
            .into_iter()
            .map(|p| p + 1e-12)
            .collect()
    } else {
        vec![1.0 / n as f64; n]
    };
    p_top
        .iter()
        .zip(&p_local)
        .map(|(&t, &l)| l * ((t + 1e-12) / l - 1.0).powi(2))
        .sum()
}

/// PED-ANOVA importances (before normalisation) of every parameter; the
/// input is checked by the caller.
pub(crate) fn importances(trials: &Trials<'_>, o: &PedAnovaOptions) -> Vec<f64> {
    let all: Vec<usize> = (0..trials.len()).collect();
    let top = top_quantile(trials.targets, &all, o.target_quantile);
    let region = top_quantile(trials.targets, &all, o.region_quantile);
    let q = top.len() as f64 / region.len() as f64;
    trials
        .space
        .params()
        .iter()
        .enumerate()
        .map(|(j, p)| {
            if single(&p.domain) || top.is_empty() {
                0.0
            } else {
                divergence(trials, j, &top, &region, o) * q * q
            }
        })
        .collect()
}
