//! Stationary kernels of a scaled distance `r` and the pieces their
//! derivatives need.
//!
//! With length scales `l_k`, the scaled squared distance between two encoded
//! points is `r² = Σ_k δ_k(a, b) / l_k²`, where `δ_k = (a_k − b_k)²` on a
//! numerical dimension and the overlap (Hamming) indicator `δ_k = [a_k ≠ b_k]`
//! on a categorical one. The covariance is `σ² · k(r)` with
//!
//! - Matérn 5/2: `k(r) = (1 + √5 r + 5r²/3) e^{−√5 r}`,
//! - Matérn 3/2: `k(r) = (1 + √3 r) e^{−√3 r}`,
//! - RBF (squared exponential): `k(r) = e^{−r²/2}`,
//!
//! (Rasmussen & Williams 2006, eqs. 4.9, 4.17). Every derivative we need goes
//! through `q(r) = −k'(r) / r`, finite at `r = 0`:
//! `∂k/∂ log l_k = q(r) · δ_k / l_k²` and `∂k/∂a_k = −q(r) (a_k − b_k) / l_k²`.

/// The kernel family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KernelKind {
    /// Matérn ν = 5/2 (the default).
    #[default]
    Matern52,
    /// Matérn ν = 3/2.
    Matern32,
    /// Squared exponential.
    Rbf,
}

const SQRT5: f64 = 2.236_067_977_499_79;
const SQRT3: f64 = 1.732_050_807_568_877_2;

impl KernelKind {
    /// `k(r²)`, the unit-variance correlation at scaled squared distance `r2`.
    #[inline]
    pub fn k(self, r2: f64) -> f64 {
        match self {
            KernelKind::Matern52 => {
                let r = SQRT5 * r2.sqrt();
                (1.0 + r + r * r / 3.0) * (-r).exp()
            }
            KernelKind::Matern32 => {
                let r = SQRT3 * r2.sqrt();
                (1.0 + r) * (-r).exp()
            }
            KernelKind::Rbf => (-0.5 * r2).exp(),
        }
    }

    /// `(k(r²), q(r²))` with `q = −k'(r)/r`.
    #[inline]
    pub fn k_and_q(self, r2: f64) -> (f64, f64) {
        match self {
            KernelKind::Matern52 => {
                let r = SQRT5 * r2.sqrt();
                let e = (-r).exp();
                ((1.0 + r + r * r / 3.0) * e, 5.0 / 3.0 * (1.0 + r) * e)
            }
            KernelKind::Matern32 => {
                let r = SQRT3 * r2.sqrt();
                let e = (-r).exp();
                ((1.0 + r) * e, 3.0 * e)
            }
            KernelKind::Rbf => {
                let e = (-0.5 * r2).exp();
                (e, e)
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KernelKind::Matern52 => "matern52",
            KernelKind::Matern32 => "matern32",
            KernelKind::Rbf => "rbf",
        }
    }
}

/// `δ_k(a, b)`: squared difference, or the mismatch indicator on a categorical dimension.
#[inline]
pub(crate) fn delta(a: f64, b: f64, categorical: bool) -> f64 {
    if categorical {
        if a == b {
            0.0
        } else {
            1.0
        }
    } else {
        (a - b) * (a - b)
    }
}

/// Scaled squared distance `r²` between two encoded points.
#[inline]
pub(crate) fn scaled_sq_dist(a: &[f64], b: &[f64], inv_l2: &[f64], categorical: &[bool]) -> f64 {
    let mut s = 0.0;
    for k in 0..a.len() {
        s += delta(a[k], b[k], categorical[k]) * inv_l2[k];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_is_minus_derivative_over_r() {
        for kind in [KernelKind::Matern52, KernelKind::Matern32, KernelKind::Rbf] {
            for &r in &[0.01, 0.3, 1.0, 2.5] {
                let h = 1e-6;
                let dk = (kind.k((r + h) * (r + h)) - kind.k((r - h) * (r - h))) / (2.0 * h);
                let (k, q) = kind.k_and_q(r * r);
                assert!((k - kind.k(r * r)).abs() < 1e-15);
                assert!(
                    (q + dk / r).abs() < 1e-7 * q.abs().max(1.0),
                    "{kind:?} r={r}"
                );
            }
            assert_eq!(kind.k(0.0), 1.0);
        }
    }
}
