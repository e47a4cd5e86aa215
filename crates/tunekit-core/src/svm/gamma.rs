//! Resolution of `gamma = 'scale' | 'auto' | value` to a number.
//!
//! `'scale'` is `1 / (n_features · X.var())` with NumPy's variance, which sums
//! with pairwise summation. The variance is reproduced with the same summation
//! tree (blocks of 8 partial sums up to 128 elements, halving above) so that γ,
//! and so every kernel value, has the same last bits as scikit-learn's.

use super::params::Gamma;

/// γ for a training matrix given as its row-major values (`n_features` columns).
pub(crate) fn resolve_gamma(gamma: Gamma, values: &[f64], n_features: usize) -> f64 {
    match gamma {
        Gamma::Value(g) => g,
        Gamma::Auto => 1.0 / n_features as f64,
        Gamma::Scale => {
            let var = numpy_var(values);
            if var != 0.0 {
                1.0 / (n_features as f64 * var)
            } else {
                1.0
            }
        }
    }
}

/// `np.var` of all values: `Σ(v − mean)² / n` with `mean = Σv / n`, both sums
/// pairwise as NumPy computes them.
pub(crate) fn numpy_var(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let n = values.len() as f64;
    let mean = pairwise_sum(values) / n;
    let squares: Vec<f64> = values
        .iter()
        .map(|v| {
            let d = v - mean;
            d * d
        })
        .collect();
    pairwise_sum(&squares) / n
}

/// NumPy's pairwise summation of `f64` (the `add.reduce` inner loop).
pub(crate) fn pairwise_sum(a: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for v in a {
            res += v;
        }
        res
    } else if n <= BLOCK {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let full = n - n % 8;
        let mut i = 8;
        while i < full {
            for (k, rk) in r.iter_mut().enumerate() {
                *rk += a[i + k];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &a[full..] {
            res += v;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_matches_exact_sums_on_integers() {
        for n in [0usize, 1, 7, 8, 9, 64, 127, 128, 129, 1000] {
            let v: Vec<f64> = (0..n).map(|i| i as f64).collect();
            assert_eq!(pairwise_sum(&v), (n * n.saturating_sub(1) / 2) as f64);
        }
    }

    #[test]
    fn pairwise_order_differs_from_sequential_as_numpy() {
        // np.add.reduce([0.1]*10) == 1.0 (pairwise); a plain running sum gives 0.9999999999999999
        let v = vec![0.1; 10];
        assert_eq!(pairwise_sum(&v), 1.0);
        assert_eq!(v.iter().fold(0.0, |s, x| s + x), 0.9999999999999999);
    }

    #[test]
    fn gamma_choices() {
        let x = [1.0, 2.0, 3.0, 4.0]; // var = 1.25
        assert_eq!(resolve_gamma(Gamma::Scale, &x, 2), 1.0 / (2.0 * 1.25));
        assert_eq!(resolve_gamma(Gamma::Auto, &x, 2), 0.5);
        assert_eq!(resolve_gamma(Gamma::Value(0.3), &x, 2), 0.3);
        assert_eq!(resolve_gamma(Gamma::Scale, &[2.0; 6], 3), 1.0);
    }
}
