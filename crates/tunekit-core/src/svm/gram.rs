//! Dot-product (Gram) matrices and the kernel matrices derived from them.
//!
//! The Gram matrix `G = XXᵀ` is computed once and every kernel is derived from
//! it: linear is `G` itself, rbf uses `‖x‖² + ‖z‖² − 2xᵀz`, poly and sigmoid
//! use `xᵀz`. The computation is blocked (4 rows × 8 columns of accumulators,
//! columns read from a transposed copy) so it vectorises across pairs, while each
//! pair's sum still runs over the features in order: the result is bit-identical
//! to [`dot`](super::kernel::dot) (fused multiply-adds below 16 features, plain
//! multiply-then-add above), and so to libsvm's kernel values.

use rayon::prelude::*;

use super::kernel::{dot, KernelSpec, FMA_DOT_MAX_LEN};
use crate::data::Matrix;

const ROW_BLOCK: usize = 4;
const COL_BLOCK: usize = 8;

/// The blocked dot-product kernel: rows of `XXᵀ`, `ROW_BLOCK` at a time.
struct RowBlocks<'a> {
    x: &'a Matrix,
    /// `Xᵀ`, columns padded with zeros to a multiple of `COL_BLOCK`
    xt: Vec<f64>,
    padded: usize,
}

impl<'a> RowBlocks<'a> {
    fn new(x: &'a Matrix) -> Self {
        let (n, d) = (x.rows(), x.cols());
        let padded = n.div_ceil(COL_BLOCK) * COL_BLOCK;
        let mut xt = vec![0.0; d * padded];
        for i in 0..n {
            for (k, &v) in x.row(i).iter().enumerate() {
                xt[k * padded + i] = v;
            }
        }
        Self { x, xt, padded }
    }

    /// Writes rows `i0..i0 + out.len() / n` of `XXᵀ` into `out` (at most
    /// `ROW_BLOCK` rows). Each entry is summed over the features in order.
    fn dots(&self, i0: usize, out: &mut [f64]) {
        let (n, d, padded) = (self.x.rows(), self.x.cols(), self.padded);
        let rows = out.len() / n.max(1);
        let mut xr = vec![0.0; d * ROW_BLOCK];
        for a in 0..rows {
            for (k, &v) in self.x.row(i0 + a).iter().enumerate() {
                xr[k * ROW_BLOCK + a] = v;
            }
        }
        let mut j0 = 0;
        while j0 < n {
            let mut acc = [[0.0f64; COL_BLOCK]; ROW_BLOCK];
            let fused = d <= FMA_DOT_MAX_LEN;
            for k in 0..d {
                let xk = &xr[k * ROW_BLOCK..(k + 1) * ROW_BLOCK];
                let zk = &self.xt[k * padded + j0..k * padded + j0 + COL_BLOCK];
                for a in 0..ROW_BLOCK {
                    let xa = xk[a];
                    let acc_a = &mut acc[a];
                    if fused {
                        for b in 0..COL_BLOCK {
                            acc_a[b] = xa.mul_add(zk[b], acc_a[b]);
                        }
                    } else {
                        for b in 0..COL_BLOCK {
                            acc_a[b] += xa * zk[b];
                        }
                    }
                }
            }
            let cols = COL_BLOCK.min(n - j0);
            for (a, acc_a) in acc.iter().enumerate().take(rows) {
                out[a * n + j0..a * n + j0 + cols].copy_from_slice(&acc_a[..cols]);
            }
            j0 += COL_BLOCK;
        }
    }
}

/// `XXᵀ` of a matrix, stored in full (`n × n`, row-major).
#[derive(Debug, Clone)]
pub(crate) struct Gram {
    n: usize,
    dots: Vec<f64>,
}

impl Gram {
    pub fn new(x: &Matrix) -> Self {
        let n = x.rows();
        let blocks = RowBlocks::new(x);
        let mut dots = vec![0.0; n * n];
        dots.par_chunks_mut(ROW_BLOCK * n.max(1)).enumerate().for_each(|(block, out)| {
            blocks.dots(block * ROW_BLOCK, out);
        });
        Self { n, dots }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    #[cfg(test)]
    pub fn dot(&self, i: usize, j: usize) -> f64 {
        self.dots[i * self.n + j]
    }

    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.dots[i * self.n..(i + 1) * self.n]
    }

    /// `‖x_i‖²`
    #[inline]
    pub fn sq(&self, i: usize) -> f64 {
        self.dots[i * self.n + i]
    }
}

/// A full kernel matrix stored as `f32` (libsvm's storage precision for Q),
/// with its diagonal kept in `f64` (libsvm's `QD`).
#[derive(Debug, Clone)]
pub(crate) struct KernelMatrix {
    n: usize,
    values: Vec<f32>,
    diag: Vec<f64>,
}

impl KernelMatrix {
    pub fn bytes_for(n: usize) -> usize {
        n.saturating_mul(n).saturating_mul(std::mem::size_of::<f32>())
    }

    pub fn from_gram(gram: &Gram, spec: &KernelSpec) -> Self {
        let n = gram.n();
        let sq: Vec<f64> = (0..n).map(|i| gram.sq(i)).collect();
        let mut values = vec![0.0f32; n * n];
        values.par_chunks_mut(n.max(1)).enumerate().for_each(|(i, out)| {
            let g = gram.row(i);
            let si = sq[i];
            for ((o, &d), &sj) in out.iter_mut().zip(g).zip(&sq) {
                *o = spec.from_dot(d, si, sj) as f32;
            }
        });
        let diag = (0..n).map(|i| spec.from_dot(sq[i], sq[i], sq[i])).collect();
        Self { n, values, diag }
    }

    /// The kernel matrix of `x` computed block by block from dot products,
    /// without storing the Gram matrix (bit-identical to `from_gram`).
    pub fn from_data(x: &Matrix, spec: &KernelSpec) -> Self {
        let n = x.rows();
        let blocks = RowBlocks::new(x);
        let sq: Vec<f64> = (0..n).map(|i| dot(x.row(i), x.row(i))).collect();
        let mut values = vec![0.0f32; n * n];
        values.par_chunks_mut(ROW_BLOCK * n.max(1)).enumerate().for_each(|(block, out)| {
            let i0 = block * ROW_BLOCK;
            let mut dots = vec![0.0; out.len()];
            blocks.dots(i0, &mut dots);
            for (a, (o_row, d_row)) in out.chunks_mut(n).zip(dots.chunks(n)).enumerate() {
                let si = sq[i0 + a];
                for ((o, &d), &sj) in o_row.iter_mut().zip(d_row).zip(&sq) {
                    *o = spec.from_dot(d, si, sj) as f32;
                }
            }
        });
        let diag = sq.iter().map(|&s| spec.from_dot(s, s, s)).collect();
        Self { n, values, diag }
    }

    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.n..(i + 1) * self.n]
    }

    #[inline]
    pub fn diag(&self, i: usize) -> f64 {
        self.diag[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svm::params::Kernel;

    #[test]
    fn blocked_gram_is_bitwise_the_plain_dot() {
        // awkward sizes: rows not a multiple of 4 or 8; short (fused) and long vectors
        for d in [5, 21] {
            check_gram(13, d);
        }
    }

    fn check_gram(n: usize, d: usize) {
        let vals: Vec<f64> = (0..n * d).map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1 + (i as f64).sin()).collect();
        let x = Matrix::new(vals, n, d).unwrap();
        let g = Gram::new(&x);
        for i in 0..n {
            for j in 0..n {
                assert_eq!(g.dot(i, j).to_bits(), dot(x.row(i), x.row(j)).to_bits(), "({i},{j})");
            }
        }
        for kind in [Kernel::Linear, Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid] {
            let spec = KernelSpec { kind, gamma: 0.3, degree: 3, coef0: 0.5 };
            let a = KernelMatrix::from_gram(&g, &spec);
            let b = KernelMatrix::from_data(&x, &spec);
            assert_eq!(a.values, b.values);
            assert_eq!(a.diag, b.diag);
        }
    }
}
