//! The kernel matrix of one binary problem as the solver sees it: rows indexed
//! by the solver's *positions*, which shrinking permutes.
//!
//! The solver works with unsigned kernel values `K_st` (the labels are folded
//! into its gradient, see `solver.rs`), so a row here is `K(x_pos_i, x_pos_k)`.
//!
//! - [`LocalQ`] copies the problem's kernel matrix (`l × l`, `f32`) in position
//!   order and physically swaps rows and columns when positions swap, so every
//!   row is a contiguous slice: the fast path, used when `l²·4` bytes fit.
//! - [`GatherQ`] maps positions to kernel ids of a [`KernelSource`] and gathers
//!   rows into buffers: used for large problems.

use super::kernel_cache::KernelSource;

/// Largest problem copied into a [`LocalQ`] (64 MiB of `f32`).
pub(crate) const LOCAL_MAX_L: usize = 4096;

pub(crate) trait QRows {
    /// `K(i, k)` for `k` in `from..to`; the returned slice is indexed by `k`
    /// (entries below `from` are unspecified).
    fn row(&mut self, i: usize, from: usize, to: usize) -> &[f32];
    /// Rows `i` and `j` over `0..len`.
    fn rows2(&mut self, i: usize, j: usize, len: usize) -> (&[f32], &[f32]);
    /// `K(i, i)`.
    fn diag(&self, i: usize) -> f64;
    /// Positions `a` and `b` exchange their variables.
    fn swap(&mut self, a: usize, b: usize);
}

/// A private copy of the problem's kernel matrix, in position order.
#[derive(Clone)]
pub(crate) struct LocalQ {
    l: usize,
    data: Vec<f32>,
    diag: Vec<f64>,
}

impl LocalQ {
    /// Copies `K(kids[a], kids[b])` from `src`.
    pub fn new<K: KernelSource>(src: &mut K, kids: &[u32]) -> Self {
        let l = kids.len();
        let mut data = vec![0.0f32; l * l];
        for (a, row) in data.chunks_mut(l.max(1)).enumerate() {
            src.column(kids[a], kids, row);
        }
        let diag = kids.iter().map(|&k| src.diag(k)).collect();
        Self { l, data, diag }
    }

    /// Bytes of the copy of a problem of `l` variables.
    pub fn bytes_for(l: usize) -> usize {
        l.saturating_mul(l)
            .saturating_mul(std::mem::size_of::<f32>())
            .saturating_add(l.saturating_mul(std::mem::size_of::<f64>()))
    }
}

impl QRows for LocalQ {
    #[inline]
    fn row(&mut self, i: usize, _from: usize, to: usize) -> &[f32] {
        &self.data[i * self.l..i * self.l + to]
    }

    #[inline]
    fn rows2(&mut self, i: usize, j: usize, len: usize) -> (&[f32], &[f32]) {
        let l = self.l;
        (
            &self.data[i * l..i * l + len],
            &self.data[j * l..j * l + len],
        )
    }

    #[inline]
    fn diag(&self, i: usize) -> f64 {
        self.diag[i]
    }

    fn swap(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let l = self.l;
        let (lo, hi) = (a.min(b), a.max(b));
        let (head, tail) = self.data.split_at_mut(hi * l);
        head[lo * l..(lo + 1) * l].swap_with_slice(&mut tail[..l]);
        for row in self.data.chunks_mut(l) {
            row.swap(a, b);
        }
        self.diag.swap(a, b);
    }
}

/// A shared [`LocalQ`] read in place until the solver first swaps two
/// positions (shrinking), then a private copy: most small problems converge
/// before they shrink anything, and then never copy the matrix.
pub(crate) struct CowQ<'a> {
    shared: &'a LocalQ,
    own: Option<LocalQ>,
}

impl<'a> CowQ<'a> {
    pub fn new(shared: &'a LocalQ) -> Self {
        Self { shared, own: None }
    }

    #[inline]
    fn q(&self) -> &LocalQ {
        self.own.as_ref().unwrap_or(self.shared)
    }
}

impl QRows for CowQ<'_> {
    #[inline]
    fn row(&mut self, i: usize, _from: usize, to: usize) -> &[f32] {
        let q = self.q();
        &q.data[i * q.l..i * q.l + to]
    }

    #[inline]
    fn rows2(&mut self, i: usize, j: usize, len: usize) -> (&[f32], &[f32]) {
        let q = self.q();
        let l = q.l;
        (&q.data[i * l..i * l + len], &q.data[j * l..j * l + len])
    }

    #[inline]
    fn diag(&self, i: usize) -> f64 {
        self.q().diag[i]
    }

    fn swap(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        self.own
            .get_or_insert_with(|| self.shared.clone())
            .swap(a, b);
    }
}

/// Rows gathered from a kernel source through the positions' kernel ids.
pub(crate) struct GatherQ<'s, K: KernelSource> {
    src: &'s mut K,
    kid: Vec<u32>,
    diag: Vec<f64>,
    bi: Vec<f32>,
    bj: Vec<f32>,
    /// what `bi` holds: (kernel id, from, to)
    bi_holds: Option<(u32, usize, usize)>,
}

impl<'s, K: KernelSource> GatherQ<'s, K> {
    pub fn new(src: &'s mut K, kids: &[u32]) -> Self {
        let l = kids.len();
        let diag = kids.iter().map(|&k| src.diag(k)).collect();
        Self {
            src,
            kid: kids.to_vec(),
            diag,
            bi: vec![0.0; l],
            bj: vec![0.0; l],
            bi_holds: None,
        }
    }
}

impl<K: KernelSource> QRows for GatherQ<'_, K> {
    fn row(&mut self, i: usize, from: usize, to: usize) -> &[f32] {
        let key = (self.kid[i], from, to);
        if self.bi_holds != Some(key) {
            self.src
                .column(self.kid[i], &self.kid[from..to], &mut self.bi[from..to]);
            self.bi_holds = Some(key);
        }
        &self.bi[..to]
    }

    fn rows2(&mut self, i: usize, j: usize, len: usize) -> (&[f32], &[f32]) {
        let key = (self.kid[i], 0, len);
        if self.bi_holds != Some(key) {
            self.src
                .column(self.kid[i], &self.kid[..len], &mut self.bi[..len]);
            self.bi_holds = Some(key);
        }
        self.src
            .column(self.kid[j], &self.kid[..len], &mut self.bj[..len]);
        (&self.bi[..len], &self.bj[..len])
    }

    fn diag(&self, i: usize) -> f64 {
        self.diag[i]
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.kid.swap(a, b);
        self.diag.swap(a, b);
        self.bi_holds = None;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::data::Matrix;
    use crate::svm::gram::KernelMatrix;
    use crate::svm::kernel::KernelSpec;
    use crate::svm::kernel_cache::DenseRows;
    use crate::svm::params::Kernel;

    #[test]
    fn local_and_gathered_rows_agree_through_swaps() {
        let (n, d) = (11, 2);
        let vals: Vec<f64> = (0..n * d).map(|i| (i as f64 * 1.3).sin()).collect();
        let x = Matrix::new(vals, n, d).unwrap();
        let spec = KernelSpec {
            kind: Kernel::Poly,
            gamma: 0.7,
            degree: 3,
            coef0: 1.0,
        };
        let km = KernelMatrix::from_data(&x, &spec);
        let kids: Vec<u32> = vec![3, 1, 4, 10, 5, 9, 2, 6];
        let mut src_a = DenseRows { matrix: &km };
        let mut src_b = DenseRows { matrix: &km };
        let mut local = LocalQ::new(&mut src_a, &kids);
        let mut gather = GatherQ::new(&mut src_b, &kids);
        let shared = local.clone();
        let mut cow = CowQ::new(&shared);
        let l = kids.len();
        for (a, b) in [(0, 7), (2, 3), (5, 1), (4, 4), (6, 0)] {
            local.swap(a, b);
            gather.swap(a, b);
            cow.swap(a, b);
            for i in 0..l {
                assert_eq!(local.row(i, 0, l).to_vec(), cow.row(i, 0, l).to_vec());
                assert_eq!(local.diag(i), cow.diag(i));
                assert_eq!(local.row(i, 0, l).to_vec(), gather.row(i, 0, l).to_vec());
                assert_eq!(
                    local.row(i, 3, l)[3..].to_vec(),
                    gather.row(i, 3, l)[3..].to_vec()
                );
                assert_eq!(local.diag(i), gather.diag(i));
            }
            let (p, q) = local.rows2(1, 2, 5);
            let (p, q) = (p.to_vec(), q.to_vec());
            let (r, s) = gather.rows2(1, 2, 5);
            assert_eq!((p, q), (r.to_vec(), s.to_vec()));
        }
    }
}
