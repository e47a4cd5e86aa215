//! The standard normal distribution and the numerically stable `log h(z)`,
//! `h(z) = φ(z) + z Φ(z)`, behind LogEI (Ament, Daulton, Eriksson, Balandat &
//! Bakshy, *Unexpected Improvements to Expected Improvement for Bayesian
//! Optimization*, NeurIPS 2023, eq. 9):
//!
//! - `z > −1`: `log h(z)` directly;
//! - `−1/√ε < z ≤ −1`: `−z²/2 − ln √(2π) + log1mexp(ln(erfcx(−z/√2) |z|) + ln √(π/2))`,
//!   since `h(z) = φ(z) (1 − |z| √(π/2) erfcx(|z|/√2))`;
//! - `z ≤ −1/√ε`: the asymptote `−z²/2 − ln √(2π) − 2 ln |z|`.
//!
//! `erfc` comes from the `libm` crate (a port of musl's); the scaled
//! `erfcx(x) = e^{x²} erfc(x)` is computed directly for `x < 25` and by its
//! asymptotic series beyond.

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
const LN_SQRT_PI_OVER_2: f64 = 0.225_791_352_644_727_43;
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

/// Standard normal density.
pub fn pdf(z: f64) -> f64 {
    INV_SQRT_2PI * (-0.5 * z * z).exp()
}

/// Standard normal distribution function Φ(z).
pub fn cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * std::f64::consts::FRAC_1_SQRT_2)
}

/// Scaled complementary error function `e^{x²} erfc(x)` for `x ≥ 0`
/// (for negative `x`, `2 e^{x²} − erfcx(−x)`).
pub fn erfcx(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 * (x * x).exp() - erfcx(-x);
    }
    if x < 25.0 {
        return (x * x).exp() * libm::erfc(x);
    }
    // erfcx(x) ~ 1/(x√π) Σ_k (−1)^k (2k−1)!! / (2x²)^k; at x ≥ 25 the terms fall by ≥ 1/100 each.
    let t = 1.0 / (2.0 * x * x);
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..8 {
        term *= -((2 * k - 1) as f64) * t;
        sum += term;
    }
    FRAC_1_SQRT_PI / x * sum
}

/// `ln Φ(z)`, accurate in both tails.
pub fn log_cdf(z: f64) -> f64 {
    if z < -1.0 {
        (0.5 * erfcx(-z * std::f64::consts::FRAC_1_SQRT_2)).ln() - 0.5 * z * z
    } else {
        (-0.5 * libm::erfc(z * std::f64::consts::FRAC_1_SQRT_2)).ln_1p()
    }
}

/// `ln(1 − e^a)` for `a < 0` (Mächler's log1mexp).
fn log1mexp(a: f64) -> f64 {
    if a > -std::f64::consts::LN_2 {
        (-a.exp_m1()).ln()
    } else {
        (-a.exp()).ln_1p()
    }
}

/// `ln h(z)` with `h(z) = φ(z) + z Φ(z)`, finite for every finite `z`
/// (up to `z²` overflowing near |z| ≈ 1e154).
pub fn log_h(z: f64) -> f64 {
    if z > -1.0 {
        (pdf(z) + z * cdf(z)).ln()
    } else if z > -1.0 / f64::EPSILON.sqrt() {
        let a = (erfcx(-z * std::f64::consts::FRAC_1_SQRT_2) * z.abs()).ln() + LN_SQRT_PI_OVER_2;
        -0.5 * z * z - LN_SQRT_2PI + log1mexp(a)
    } else {
        -0.5 * z * z - LN_SQRT_2PI - 2.0 * z.abs().ln()
    }
}

/// `d/dz ln h(z) = Φ(z) / h(z)`, computed in log space.
pub fn d_log_h(z: f64) -> f64 {
    if z > -1.0 {
        cdf(z) / (pdf(z) + z * cdf(z))
    } else {
        (log_cdf(z) - log_h(z)).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_and_erfcx_known_values() {
        assert!((cdf(0.0) - 0.5).abs() < 1e-16);
        assert!((cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
        // Φ(−10) = 7.619853024160527e-24
        assert!((cdf(-10.0) / 7.619_853_024_160_527e-24 - 1.0).abs() < 1e-12);
        // erfcx(30) = 0.018795888861416751 (series region), erfcx(10) = 0.056140992743822586
        assert!((erfcx(30.0) / 0.018_795_888_861_416_75 - 1.0).abs() < 1e-13);
        assert!((erfcx(10.0) / 0.056_140_992_743_822_59 - 1.0).abs() < 1e-13);
        // continuity at the switch
        assert!((erfcx(25.0 - 1e-12) / erfcx(25.0) - 1.0).abs() < 1e-12);
        assert!((log_cdf(-40.0) - (-804.608_442_013_754_2)).abs() < 1e-9);
    }

    #[test]
    fn d_log_h_matches_finite_differences() {
        for &z in &[-500.0f64, -40.0, -3.0, -1.0, -0.5, 0.0, 2.0, 8.0] {
            let h = 1e-6 * z.abs().max(1.0);
            let fd = (log_h(z + h) - log_h(z - h)) / (2.0 * h);
            assert!(
                (fd - d_log_h(z)).abs() < 1e-6 * fd.abs().max(1.0),
                "z={z}: {fd} vs {}",
                d_log_h(z)
            );
        }
    }
}
