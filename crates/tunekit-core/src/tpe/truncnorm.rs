//! The truncated standard normal distribution on `[a, b]` in log space: the
//! kernels of the Parzen estimators.
//!
//! - [`log_gauss_mass`]: `ln(Φ(b) − Φ(a))`, stable in both tails (the mass of
//!   `[a, b]` is computed on the side of zero where it is not a difference of
//!   two numbers close to 1);
//! - [`ppf`]: the inverse distribution function, for sampling (in log space, so
//!   that intervals deep in a tail are sampled correctly).
//!
//! `ln Φ` is [`crate::acquisition::normal::log_cdf`] (erfc from `libm`, an
//! asymptotic series beyond 25).

use crate::acquisition::normal::log_cdf;

/// `ln √(2π)`.
pub(crate) const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// `ln(1 − e^x)` for `x ≤ 0` (Mächler's log1mexp).
fn log1mexp(x: f64) -> f64 {
    if x > -std::f64::consts::LN_2 {
        (-x.exp_m1()).ln()
    } else {
        (-x.exp()).ln_1p()
    }
}

/// `ln(e^x + e^y)`.
fn log_add_exp(x: f64, y: f64) -> f64 {
    let m = x.max(y);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((x - m).exp() + (y - m).exp()).ln()
}

/// `ln(Φ(b) − Φ(a))` for `a ≤ b` (−∞ when `a == b`).
pub fn log_gauss_mass(a: f64, b: f64) -> f64 {
    if b <= 0.0 {
        // Left of zero: Φ(b) − Φ(a) = Φ(b)(1 − Φ(a)/Φ(b)).
        let lb = log_cdf(b);
        lb + log1mexp(log_cdf(a) - lb)
    } else if a > 0.0 {
        // Right of zero: the mirror image.
        log_gauss_mass(-b, -a)
    } else {
        // Around zero: 1 − Φ(a) − Φ(−b), both terms at most 1/2.
        (-(0.5 * libm::erfc(-a * std::f64::consts::FRAC_1_SQRT_2))
            - 0.5 * libm::erfc(b * std::f64::consts::FRAC_1_SQRT_2))
        .ln_1p()
    }
}

/// The standard normal quantile `z` with `ln Φ(z) = log_p` (`log_p ≤ 0`):
/// Acklam's rational approximation as a start, then Newton steps on `ln Φ`,
/// which converge in a few steps in either tail.
pub fn ndtri_log(log_p: f64) -> f64 {
    if log_p >= 0.0 {
        return f64::INFINITY;
    }
    if log_p == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    let mut z = if log_p > -700.0 {
        acklam(log_p.exp())
    } else {
        // ln Φ(z) ≈ −z²/2 − ln(−z) − ln √(2π) deep in the left tail.
        let t = -2.0 * log_p;
        -(t - t.ln() - 2.0 * LN_SQRT_2PI).sqrt()
    };
    for _ in 0..20 {
        let lc = log_cdf(z);
        // d/dz ln Φ(z) = φ(z)/Φ(z) = exp(ln φ(z) − ln Φ(z)).
        let slope = (-0.5 * z * z - LN_SQRT_2PI - lc).exp();
        if !(slope.is_finite() && slope > 0.0) {
            break;
        }
        let step = (lc - log_p) / slope;
        z -= step;
        if step.abs() <= 1e-15 * z.abs().max(1.0) {
            break;
        }
    }
    z
}

/// Acklam's approximation of the standard normal quantile (relative error below 1.2e-9).
fn acklam(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// The `q`-quantile (`q` ∈ [0, 1)) of the standard normal truncated to
/// `[a, b]`, clamped into `[a, b]`. Intervals right of zero are mirrored so
/// that the computation always runs in the left tail, where `ln Φ` is exact.
pub fn ppf(q: f64, a: f64, b: f64) -> f64 {
    if a >= b {
        return a;
    }
    if a > 0.0 {
        return -ppf(1.0 - q, -b, -a);
    }
    let la = log_cdf(a);
    let mass = log_gauss_mass(a, b);
    let z = if q <= 0.0 {
        a
    } else {
        ndtri_log(log_add_exp(la, q.ln() + mass))
    };
    z.clamp(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_the_distribution_function() {
        for &(a, b) in &[
            (-1.0, 1.0),
            (-40.0, -39.0),
            (38.0, 40.0),
            (-3.0, 8.0),
            (0.1, 0.2),
        ] {
            for &q in &[0.0, 0.01, 0.3, 0.5, 0.9, 0.999] {
                let z: f64 = ppf(q, a, b);
                assert!(z >= a && z <= b, "{a} {b} {q}: {z}");
                // The mass left of z is q of the interval's.
                let left = if q == 0.0 {
                    f64::NEG_INFINITY
                } else {
                    log_gauss_mass(a, z)
                };
                let expect = q.ln() + log_gauss_mass(a, b);
                assert!(
                    q == 0.0 || (left - expect).abs() < 1e-7,
                    "{a} {b} {q}: {left} vs {expect}"
                );
            }
        }
    }

    #[test]
    fn ndtri_log_known_values() {
        assert!((ndtri_log(0.5f64.ln())).abs() < 1e-15);
        assert!((ndtri_log(0.975f64.ln()) - 1.959_963_984_540_054).abs() < 1e-12);
        // Φ(−10) = 7.619853024160527e-24
        assert!((ndtri_log(7.619_853_024_160_527e-24f64.ln()) + 10.0).abs() < 1e-10);
        assert!((ndtri_log(log_cdf(-45.0)) + 45.0).abs() < 1e-9);
    }
}
