//! The eigendecomposition C = B D² Bᵀ that sampling and the update use,
//! with the `cmaes` package's repair: C is symmetrised, eigenvalues below 0
//! become 1e-8, and C is rebuilt from its decomposition (so the state's C is
//! exactly the one whose factors were used). Eigenvalues are in ascending
//! order (as LAPACK's `syevd` gives them), which the "no effect axis"
//! criterion relies on.

use nalgebra::{DMatrix, SymmetricEigen};

use super::state::CmaState;
use super::strategy::Kind;

/// Replacement of a negative eigenvalue (the `cmaes` package's `_EPS`).
pub const EPS: f64 = 1e-8;

/// B (n × n, row-major, column k the k-th eigenvector; the identity when
/// separable) and D (the square roots of the eigenvalues).
#[derive(Debug, Clone, PartialEq)]
pub struct Eigen {
    pub n: usize,
    pub b: Vec<f64>,
    pub d: Vec<f64>,
    /// Whether B is the identity (separable runs): products skip it.
    pub diagonal: bool,
}

impl Eigen {
    /// `B · (D ∘ z)`: a draw of N(0, C) from a standard normal `z`.
    pub fn transform(&self, z: &[f64]) -> Vec<f64> {
        let n = self.n;
        if self.diagonal {
            return z.iter().zip(&self.d).map(|(z, d)| z * d).collect();
        }
        let dz: Vec<f64> = z.iter().zip(&self.d).map(|(z, d)| z * d).collect();
        (0..n)
            .map(|i| {
                let row = &self.b[i * n..(i + 1) * n];
                row.iter().zip(&dz).map(|(b, v)| b * v).sum()
            })
            .collect()
    }

    /// `C^{-1/2} y = B D⁻¹ Bᵀ y`.
    pub fn inv_sqrt(&self, y: &[f64]) -> Vec<f64> {
        let n = self.n;
        if self.diagonal {
            return y.iter().zip(&self.d).map(|(y, d)| y / d).collect();
        }
        // t = D⁻¹ Bᵀ y
        let t: Vec<f64> = (0..n)
            .map(|k| {
                let s: f64 = (0..n).map(|i| self.b[i * n + k] * y[i]).sum();
                s / self.d[k]
            })
            .collect();
        (0..n)
            .map(|i| (0..n).map(|k| self.b[i * n + k] * t[k]).sum())
            .collect()
    }
}

/// The decomposition of the state's C, without changing the state.
pub fn decompose(state: &CmaState) -> Eigen {
    let n = state.n;
    match state.kind {
        Kind::Separable => Eigen {
            n,
            b: Vec::new(),
            d: state
                .cov
                .iter()
                .map(|&c| if c < 0.0 { EPS } else { c }.sqrt())
                .collect(),
            diagonal: true,
        },
        Kind::Full => {
            let m = DMatrix::from_fn(n, n, |i, j| {
                0.5 * (state.cov[i * n + j] + state.cov[j * n + i])
            });
            let eig = SymmetricEigen::new(m);
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
            let mut b = vec![0.0; n * n];
            let mut d = vec![0.0; n];
            for (k, &src) in order.iter().enumerate() {
                let ev = eig.eigenvalues[src];
                d[k] = if ev < 0.0 { EPS } else { ev }.sqrt();
                for i in 0..n {
                    b[i * n + k] = eig.eigenvectors[(i, src)];
                }
            }
            Eigen {
                n,
                b,
                d,
                diagonal: false,
            }
        }
    }
}

/// Decomposes C and replaces it by B D² Bᵀ (the package's `_eigen_decomposition`).
pub fn decompose_and_repair(state: &mut CmaState) -> Eigen {
    let e = decompose(state);
    if !e.diagonal {
        let n = state.n;
        for i in 0..n {
            for j in i..n {
                let v: f64 = (0..n)
                    .map(|k| e.b[i * n + k] * e.d[k] * e.d[k] * e.b[j * n + k])
                    .sum();
                state.cov[i * n + j] = v;
                state.cov[j * n + i] = v;
            }
        }
    }
    e
}
