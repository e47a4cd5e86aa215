//! Kernel functions, evaluated the way libsvm evaluates them.
//!
//! Bit-for-bit agreement with libsvm matters because the SMO path (and so the
//! support vectors found) depends on ties and on the last bits of the kernel
//! values. So:
//!
//! - dot products are summed in feature order, one product after the other.
//!   scikit-learn's libsvm takes them from BLAS (`ddot`); OpenBLAS on x86-64
//!   sums vectors shorter than 16 with a chain of fused multiply-adds
//!   (`s = fma(x_k, z_k, s)`), so below [`FMA_DOT_MAX_LEN`]` + 1` features we do
//!   the same (bit-identical to scikit-learn there); longer vectors go through
//!   OpenBLAS's SIMD kernel, whose order depends on the CPU, and are summed
//!   here with a plain multiply-then-add in feature order;
//! - during training, the rbf kernel is `exp(−γ·((‖x‖² + ‖z‖²) − 2xᵀz))` from the
//!   dot products (what libsvm's training kernel computes), while predictions
//!   use `exp(−γ·Σ(x_k − z_k)²)` (libsvm's `k_function`);
//! - the polynomial power is taken by square-and-multiply, as libsvm's `powi`.

use super::params::Kernel;

/// A kernel with every parameter resolved (γ is a number here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct KernelSpec {
    pub kind: Kernel,
    pub gamma: f64,
    pub degree: u32,
    pub coef0: f64,
}

/// Identifies a kernel up to the parameters it actually uses, so that equal
/// kernels share their precomputed matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SpecKey(u8, u64, u32, u64);

impl KernelSpec {
    pub fn key(&self) -> SpecKey {
        match self.kind {
            Kernel::Linear => SpecKey(0, 0, 0, 0),
            Kernel::Rbf => SpecKey(1, self.gamma.to_bits(), 0, 0),
            Kernel::Poly => SpecKey(2, self.gamma.to_bits(), self.degree, self.coef0.to_bits()),
            Kernel::Sigmoid => SpecKey(3, self.gamma.to_bits(), 0, self.coef0.to_bits()),
        }
    }

    /// The kernel from `xᵀz`, `‖x‖²` and `‖z‖²`, as libsvm's training kernel
    /// (no clamping of the rbf distance, exactly like libsvm).
    #[inline]
    pub fn value_from_dot(&self, dot: f64, sq_x: f64, sq_z: f64) -> f64 {
        match self.kind {
            Kernel::Linear => dot,
            Kernel::Rbf => (-self.gamma * ((sq_x + sq_z) - 2.0 * dot)).exp(),
            Kernel::Poly => powi(self.gamma * dot + self.coef0, self.degree),
            Kernel::Sigmoid => (self.gamma * dot + self.coef0).tanh(),
        }
    }

    /// As [`value_from_dot`](Self::value_from_dot) but with the squared rbf distance clamped at 0
    /// (cancellation can make it slightly negative); used for test-set decision
    /// values computed from a Gram matrix.
    #[inline]
    pub fn value_from_dot_clamped(&self, dot: f64, sq_x: f64, sq_z: f64) -> f64 {
        match self.kind {
            Kernel::Rbf => (-self.gamma * ((sq_x + sq_z) - 2.0 * dot).max(0.0)).exp(),
            _ => self.value_from_dot(dot, sq_x, sq_z),
        }
    }

    /// `K(x, z)` evaluated directly from two rows, as libsvm's `k_function`
    /// (used to predict new data).
    #[inline]
    pub fn eval(&self, x: &[f64], z: &[f64]) -> f64 {
        match self.kind {
            Kernel::Rbf => {
                let sum = if x.len() <= FMA_DOT_MAX_LEN {
                    let mut sum = 0.0;
                    for (a, b) in x.iter().zip(z) {
                        let d = a - b;
                        sum = d.mul_add(d, sum);
                    }
                    sum
                } else {
                    let mut sum = 0.0;
                    for (a, b) in x.iter().zip(z) {
                        let d = a - b;
                        sum += d * d;
                    }
                    sum
                };
                (-self.gamma * sum).exp()
            }
            _ => self.value_from_dot(dot(x, z), 0.0, 0.0),
        }
    }
}

/// Vectors up to this length are summed with fused multiply-adds (see the
/// module docs).
pub(crate) const FMA_DOT_MAX_LEN: usize = 15;

/// `xᵀz` summed in feature order (fused multiply-adds for short vectors).
#[inline]
pub(crate) fn dot(x: &[f64], z: &[f64]) -> f64 {
    let mut sum = 0.0;
    if x.len() <= FMA_DOT_MAX_LEN {
        for (a, b) in x.iter().zip(z) {
            sum = a.mul_add(*b, sum);
        }
    } else {
        for (a, b) in x.iter().zip(z) {
            sum += a * b;
        }
    }
    sum
}

/// `base^times` by binary exponentiation (the multiplication order matters for
/// the last bit, so it is the classic right-to-left square-and-multiply).
#[inline]
pub(crate) fn powi(base: f64, times: u32) -> f64 {
    let mut tmp = base;
    let mut ret = 1.0;
    let mut t = times;
    while t > 0 {
        if t % 2 == 1 {
            ret *= tmp;
        }
        tmp *= tmp;
        t /= 2;
    }
    ret
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn spec(kind: Kernel, gamma: f64, degree: u32, coef0: f64) -> KernelSpec {
        KernelSpec {
            kind,
            gamma,
            degree,
            coef0,
        }
    }

    #[test]
    fn hand_values() {
        let x = [1.0, 2.0, 3.0];
        let z = [0.5, -1.0, 2.0];
        // xᵀz = 0.5 − 2 + 6 = 4.5 ; ‖x − z‖² = 0.25 + 9 + 1 = 10.25
        assert_eq!(spec(Kernel::Linear, 1.0, 3, 0.0).eval(&x, &z), 4.5);
        assert_relative_eq!(
            spec(Kernel::Rbf, 0.1, 3, 0.0).eval(&x, &z),
            (-1.025f64).exp(),
            max_relative = 1e-15
        );
        assert_relative_eq!(
            spec(Kernel::Poly, 0.5, 3, 1.0).eval(&x, &z),
            3.25f64.powi(3),
            max_relative = 1e-15
        );
        assert_relative_eq!(spec(Kernel::Poly, 0.5, 0, 1.0).eval(&x, &z), 1.0);
        assert_relative_eq!(
            spec(Kernel::Sigmoid, 0.2, 3, -1.0).eval(&x, &z),
            (-0.1f64).tanh(),
            max_relative = 1e-15
        );
    }

    #[test]
    fn gram_form_agrees_with_direct_form() {
        let x = [1.0, 2.0, 3.0];
        let z = [0.5, -1.0, 2.0];
        let (d, sx, sz) = (dot(&x, &z), dot(&x, &x), dot(&z, &z));
        for kind in [Kernel::Linear, Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid] {
            let s = spec(kind, 0.3, 2, 0.5);
            assert_relative_eq!(
                s.value_from_dot(d, sx, sz),
                s.eval(&x, &z),
                max_relative = 1e-12
            );
            assert_relative_eq!(
                s.value_from_dot_clamped(d, sx, sz),
                s.eval(&x, &z),
                max_relative = 1e-12
            );
        }
        // identical rows: the rbf distance is exactly 0 in both forms
        assert_eq!(
            spec(Kernel::Rbf, 7.0, 3, 0.0).value_from_dot(sx, sx, sx),
            1.0
        );
    }

    #[test]
    fn powi_is_square_and_multiply() {
        assert_eq!(powi(3.0, 0), 1.0);
        assert_eq!(powi(3.0, 1), 3.0);
        assert_eq!(powi(3.0, 5), 243.0);
        assert_eq!(powi(-2.0, 3), -8.0);
        let b = 1.1f64;
        assert_eq!(powi(b, 3), b * (b * b));
    }

    #[test]
    fn keys_ignore_unused_parameters() {
        assert_eq!(
            spec(Kernel::Linear, 0.1, 3, 1.0).key(),
            spec(Kernel::Linear, 9.0, 2, 0.0).key()
        );
        assert_eq!(
            spec(Kernel::Rbf, 0.1, 3, 1.0).key(),
            spec(Kernel::Rbf, 0.1, 2, 0.0).key()
        );
        assert_ne!(
            spec(Kernel::Rbf, 0.1, 3, 0.0).key(),
            spec(Kernel::Rbf, 0.2, 3, 0.0).key()
        );
        assert_ne!(
            spec(Kernel::Poly, 0.1, 3, 0.0).key(),
            spec(Kernel::Poly, 0.1, 2, 0.0).key()
        );
    }
}
