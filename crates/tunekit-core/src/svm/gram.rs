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
use crate::isa::{wide, Isa};

const ROW_BLOCK: usize = 4;

/// Matrices of fewer entries are computed on the calling thread: below this,
/// handing the work to rayon's pool (and waking its threads) costs more than it
/// saves. The values are the same either way.
const PARALLEL_MIN_ENTRIES: usize = 1 << 16;

/// `f(chunk index, chunk)` over `chunk`-sized pieces of `out`, in parallel
/// only when `out` is large.
fn for_chunks<T: Send>(out: &mut [T], chunk: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    if out.len() < PARALLEL_MIN_ENTRIES {
        out.chunks_mut(chunk).enumerate().for_each(|(i, c)| f(i, c));
    } else {
        out.par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(i, c)| f(i, c));
    }
}

/// The blocked dot-product kernel: rows of `XXᵀ`, `ROW_BLOCK` at a time.
struct RowBlocks<'a> {
    x: &'a Matrix,
    /// `Xᵀ` (`d × n`, row-major)
    xt: Vec<f64>,
}

impl<'a> RowBlocks<'a> {
    fn new(x: &'a Matrix) -> Self {
        let (n, d) = (x.rows(), x.cols());
        let mut xt = vec![0.0; d * n];
        for i in 0..n {
            for (k, &v) in x.row(i).iter().enumerate() {
                xt[k * n + i] = v;
            }
        }
        Self { x, xt }
    }

    /// Writes rows `i0..i0 + out.len() / n` of `XXᵀ`, columns `j0..n`, into
    /// `out` (at most `ROW_BLOCK` full rows), which must hold zeros. Feature by
    /// feature, each row of `out` gets `x_ik · Xᵀ_k` added (a contiguous,
    /// vectorisable update), so every entry is summed over the features in order.
    fn dots(&self, i0: usize, j0: usize, out: &mut [f64]) {
        let (n, d) = (self.x.rows(), self.x.cols());
        if n == 0 {
            return;
        }
        let fused = d <= FMA_DOT_MAX_LEN;
        let isa = Isa::detect();
        for (k, zk) in self.xt.chunks_exact(n).enumerate() {
            for (a, o) in out.chunks_exact_mut(n).enumerate() {
                let xa = self.x.row(i0 + a)[k];
                let (o, zk) = (&mut o[j0..], &zk[j0..]);
                if fused {
                    fused_axpy(isa, xa, zk, o);
                } else {
                    for (s, &z) in o.iter_mut().zip(zk) {
                        *s += xa * z;
                    }
                }
            }
        }
    }
}

wide! {
    /// `out[t] = fma(a, z[t], out[t])`, one rounding per entry.
    fn fused_axpy(a: f64, z: &[f64], out: &mut [f64]) {
        for (s, &v) in out.iter_mut().zip(z) {
            *s = a.mul_add(v, *s);
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
        if n * n < PARALLEL_MIN_ENTRIES {
            // the product is symmetric bit for bit (each entry is the same chain of
            // `fma(x_ik, x_jk, s)` or `s + x_ik·x_jk` either way round): compute the
            // upper part of each block of rows, then mirror the rest
            for (block, out) in dots.chunks_mut(ROW_BLOCK * n.max(1)).enumerate() {
                blocks.dots(block * ROW_BLOCK, block * ROW_BLOCK, out);
            }
            for i in 0..n {
                for j in 0..i - i % ROW_BLOCK {
                    dots[i * n + j] = dots[j * n + i];
                }
            }
        } else {
            for_chunks(&mut dots, ROW_BLOCK * n.max(1), |block, out| {
                blocks.dots(block * ROW_BLOCK, 0, out);
            });
        }
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
        n.saturating_mul(n)
            .saturating_mul(std::mem::size_of::<f32>())
    }

    pub fn from_gram(gram: &Gram, spec: &KernelSpec) -> Self {
        Self::from_gram_rows(gram, spec, &vec![true; gram.n()])
    }

    /// [`from_gram`](Self::from_gram) restricted to the entries between rows
    /// with `needed[i]` (the others are left 0 and must not be read).
    pub fn from_gram_rows(gram: &Gram, spec: &KernelSpec, needed: &[bool]) -> Self {
        let n = gram.n();
        let sq: Vec<f64> = (0..n).map(|i| gram.sq(i)).collect();
        let mut values = vec![0.0f32; n * n];
        if n * n < PARALLEL_MIN_ENTRIES {
            // symmetric bit for bit (the Gram matrix is, and `‖x‖² + ‖z‖²`
            // commutes): each value is computed once, for `j ≥ i`, and mirrored
            let rows: Vec<usize> = (0..n).filter(|&i| needed[i]).collect();
            for (a, &i) in rows.iter().enumerate() {
                let g = gram.row(i);
                let si = sq[i];
                for &j in &rows[a..] {
                    let v = spec.value_from_dot(g[j], si, sq[j]) as f32;
                    values[i * n + j] = v;
                    values[j * n + i] = v;
                }
            }
        } else {
            for_chunks(&mut values, n.max(1), |i, out| {
                if !needed[i] {
                    return;
                }
                let g = gram.row(i);
                let si = sq[i];
                for (((o, &d), &sj), &keep) in out.iter_mut().zip(g).zip(&sq).zip(needed) {
                    if keep {
                        *o = spec.value_from_dot(d, si, sj) as f32;
                    }
                }
            });
        }
        let diag = (0..n)
            .map(|i| spec.value_from_dot(sq[i], sq[i], sq[i]))
            .collect();
        Self { n, values, diag }
    }

    /// The kernel matrix of `x` computed block by block from dot products,
    /// without storing the Gram matrix (bit-identical to `from_gram`).
    pub fn from_data(x: &Matrix, spec: &KernelSpec) -> Self {
        let n = x.rows();
        let blocks = RowBlocks::new(x);
        let sq: Vec<f64> = (0..n).map(|i| dot(x.row(i), x.row(i))).collect();
        let mut values = vec![0.0f32; n * n];
        for_chunks(&mut values, ROW_BLOCK * n.max(1), |block, out| {
            let i0 = block * ROW_BLOCK;
            let mut dots = vec![0.0; out.len()];
            blocks.dots(i0, 0, &mut dots);
            for (a, (o_row, d_row)) in out.chunks_mut(n).zip(dots.chunks(n)).enumerate() {
                let si = sq[i0 + a];
                for ((o, &d), &sj) in o_row.iter_mut().zip(d_row).zip(&sq) {
                    *o = spec.value_from_dot(d, si, sj) as f32;
                }
            }
        });
        let diag = sq.iter().map(|&s| spec.value_from_dot(s, s, s)).collect();
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
#[allow(clippy::unwrap_used, clippy::expect_used)]
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

    #[test]
    fn parallel_gram_is_bitwise_the_plain_dot() {
        // large enough for the parallel (row-by-row, not mirrored) paths
        check_gram(259, 4);
    }

    #[test]
    fn kernel_rows_subset_keeps_the_needed_entries() {
        for n in [13, 259] {
            let vals: Vec<f64> = (0..n * 3).map(|i| (i as f64 * 0.37).sin()).collect();
            let x = Matrix::new(vals, n, 3).unwrap();
            let g = Gram::new(&x);
            let spec = KernelSpec {
                kind: Kernel::Rbf,
                gamma: 0.8,
                degree: 3,
                coef0: 0.0,
            };
            let full = KernelMatrix::from_gram(&g, &spec);
            let needed: Vec<bool> = (0..n).map(|i| i % 3 != 1).collect();
            let part = KernelMatrix::from_gram_rows(&g, &spec, &needed);
            for i in (0..n).filter(|&i| needed[i]) {
                for j in (0..n).filter(|&j| needed[j]) {
                    assert_eq!(part.row(i)[j].to_bits(), full.row(i)[j].to_bits());
                }
                assert_eq!(part.diag(i).to_bits(), full.diag(i).to_bits());
            }
        }
    }

    fn check_gram(n: usize, d: usize) {
        let vals: Vec<f64> = (0..n * d)
            .map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1 + (i as f64).sin())
            .collect();
        let x = Matrix::new(vals, n, d).unwrap();
        let g = Gram::new(&x);
        for i in 0..n {
            for j in 0..n {
                assert_eq!(
                    g.dot(i, j).to_bits(),
                    dot(x.row(i), x.row(j)).to_bits(),
                    "({i},{j})"
                );
            }
        }
        for kind in [Kernel::Linear, Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid] {
            let spec = KernelSpec {
                kind,
                gamma: 0.3,
                degree: 3,
                coef0: 0.5,
            };
            let a = KernelMatrix::from_gram(&g, &spec);
            let b = KernelMatrix::from_data(&x, &spec);
            assert_eq!(a.values, b.values);
            assert_eq!(a.diag, b.diag);
        }
    }
}
