//! CMA-ES with margin (Hamano, Saito, Nomura & Shirakawa, *CMA-ES with
//! Margin: Lower-Bounding Marginal Probability for Mixed-Integer Black-Box
//! Optimization*, GECCO 2022), as the `cmaes` package's `CMAwM` does it.
//!
//! A margin coordinate with `L` levels sits on the grid `k / (L − 1)` of
//! [0, 1]. A sample's coordinate is scaled about the mean by A and rounded
//! to the nearest level (the lower one on ties). After each update, the
//! probability of leaving the mean's level on either side is kept at least
//! α/2 (α = 1/(nλ)) by moving the mean (when the mean is at an edge) or by
//! changing A (otherwise), so no coordinate gets fixed on one level.

use super::eigen::EPS;
use super::state::CmaState;

/// Level `k` of a grid with `levels` levels in [0, 1].
fn level(k: f64, levels: usize) -> f64 {
    k / (levels - 1) as f64
}

/// Midpoint between level `k` and level `k + 1`.
fn threshold(k: f64, levels: usize) -> f64 {
    (level(k, levels) + level(k + 1.0, levels)) / 2.0
}

/// The index of the level nearest to `v` (the lower one on ties).
pub fn nearest(v: f64, levels: usize) -> usize {
    let last = (levels - 1) as f64;
    let mut k = (v * last + 0.5).floor().clamp(0.0, last);
    if k > 0.0 && v <= threshold(k - 1.0, levels) {
        k -= 1.0;
    }
    if k < last && v > threshold(k, levels) {
        k += 1.0;
    }
    k as usize
}

/// The thresholds on each side of the level nearest to `v`.
fn limits(v: f64, levels: usize) -> (f64, f64) {
    let k = nearest(v, levels) as f64;
    let top = (levels - 2) as f64;
    let lo = (k - 1.0).clamp(0.0, top);
    let hi = k.clamp(0.0, top);
    (threshold(lo, levels), threshold(hi, levels))
}

/// The encoded value of raw coordinate `x` of a margin coordinate: scaled
/// about the mean `m` by `a`, then put on its nearest level.
pub fn encode(x: f64, m: f64, a: f64, levels: usize) -> f64 {
    level(nearest((x - m) * a + m, levels) as f64, levels)
}

/// Φ((x − loc)/scale).
fn norm_cdf(x: f64, loc: f64, scale: f64) -> f64 {
    0.5 * libm::erfc(-(x - loc) / (scale * std::f64::consts::SQRT_2))
}

/// The q-quantile of the χ² distribution with one degree of freedom, by
/// bisection on erf(√(x/2)) = q (erfc for q ≥ 0.9), as the `cmaes` package.
pub fn chi2_ppf(q: f64) -> f64 {
    if q <= 0.0 {
        return 0.0;
    }
    if q >= 1.0 {
        return f64::INFINITY;
    }
    let (mut a, mut b) = (0.0_f64, 100.0_f64);
    let mut m = 50.0;
    for _ in 0..100 {
        m = (a + b) / 2.0;
        let below = if q < 0.9 {
            libm::erf((m / 2.0).sqrt()) < q
        } else {
            libm::erfc((m / 2.0).sqrt()) > 1.0 - q
        };
        if below {
            a = m;
        } else {
            b = m;
        }
    }
    m
}

/// The margin correction after an update: coordinates `grid[i] = Some(levels)`
/// get their mean or A adjusted so that each side's probability is ≥ α/2.
pub fn correct(state: &mut CmaState, grid: &[Option<usize>], alpha: f64) {
    let sigma = state.sigma;
    for (i, levels) in grid.iter().enumerate() {
        let Some(levels) = *levels else { continue };
        let c_ii = state.c(i, i).max(0.0);
        let a = state.margin_a[i];
        let mut m = state.mean[i];
        let (lim_lo, lim_up) = limits(m, levels);
        let scale = (sigma * a * c_ii.sqrt()).max(f64::MIN_POSITIVE);
        let low_cdf = norm_cdf(lim_lo, m, scale);
        let up_cdf = 1.0 - norm_cdf(lim_up, m, scale);
        let mid_cdf = 1.0 - (low_cdf + up_cdf);
        let edge = low_cdf.max(up_cdf) > 0.5;
        if edge {
            // the mean is at an edge: move it so the far side keeps α/2
            if low_cdf.min(up_cdf) < alpha {
                let sign = (m - lim_up).signum_or_zero();
                let dist = sigma * a * (chi2_ppf(1.0 - 2.0 * alpha) * c_ii).sqrt();
                m = lim_up + sign * dist;
            }
            state.mean[i] = m;
            continue;
        }
        // otherwise: fit A and the mean so both sides get their corrected probabilities
        let low = low_cdf.max(alpha / 2.0);
        let up = up_cdf.max(alpha / 2.0);
        let spare = 1.0 - low - up - mid_cdf;
        let denom = low + mid_cdf + up - 3.0 * alpha / 2.0;
        let low2 = (low + spare * (low - alpha / 2.0) / denom).clamp(1e-10, 0.5 - 1e-10);
        let up2 = (up + spare * (up - alpha / 2.0) / denom).clamp(1e-10, 0.5 - 1e-10);
        let chi_low = chi2_ppf(1.0 - 2.0 * low2).sqrt();
        let chi_up = chi2_ppf(1.0 - 2.0 * up2).sqrt();
        let c_sqrt = c_ii.sqrt().max(EPS * EPS);
        state.margin_a[i] = (lim_up - lim_lo) / ((chi_low + chi_up) * sigma * c_sqrt);
        state.mean[i] = (lim_lo * chi_up + lim_up * chi_low) / (chi_low + chi_up);
    }
}

/// `signum` with 0 for 0 (numpy's `sign`).
trait SignumOrZero {
    fn signum_or_zero(self) -> f64;
}

impl SignumOrZero for f64 {
    fn signum_or_zero(self) -> f64 {
        if self == 0.0 {
            0.0
        } else {
            self.signum()
        }
    }
}

/// The probability that a draw of coordinate `i` lands on another level
/// than the mean's, on each side: `(below, above)` (for tests and diagnostics).
pub fn side_probabilities(state: &CmaState, i: usize, levels: usize) -> (f64, f64) {
    let m = state.mean[i];
    let (lim_lo, lim_up) = limits(m, levels);
    let scale = state.sigma * state.margin_a[i] * state.c(i, i).max(0.0).sqrt();
    (norm_cdf(lim_lo, m, scale), 1.0 - norm_cdf(lim_up, m, scale))
}
