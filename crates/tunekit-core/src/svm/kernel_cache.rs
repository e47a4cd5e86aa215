//! Where the solver gets kernel values from.
//!
//! The solver refers to its variables by *kernel ids*: indices into whatever
//! the source is built on. Two sources:
//!
//! - [`DenseRows`]: a precomputed [`KernelMatrix`] (shared, read-only; used when
//!   the whole kernel fits in memory, and shared across C values, class weights
//!   and one-vs-one pairs);
//! - [`LruRows`]: kernel rows of one sub-problem computed on demand from the data
//!   and kept in a least-recently-used cache of a fixed byte budget.
//!
//! Both produce bit-identical values (same dot products, same formulas).

use super::gram::KernelMatrix;
use super::kernel::{dot, KernelSpec};
use crate::data::Matrix;

/// Kernel values for the solver, as `f32` (libsvm's `Qfloat`), and the
/// diagonal as `f64`.
pub(crate) trait KernelSource {
    /// `out[k] = K(a, kids[k])` for every `k`.
    fn column(&mut self, a: u32, kids: &[u32], out: &mut [f32]);
    /// `K(a, a)`.
    fn diag(&self, a: u32) -> f64;
}

/// A view of a precomputed kernel matrix.
pub(crate) struct DenseRows<'a> {
    pub matrix: &'a KernelMatrix,
}

impl KernelSource for DenseRows<'_> {
    #[inline]
    fn column(&mut self, a: u32, kids: &[u32], out: &mut [f32]) {
        let row = self.matrix.row(a as usize);
        for (o, &k) in out.iter_mut().zip(kids) {
            *o = row[k as usize];
        }
    }

    #[inline]
    fn diag(&self, a: u32) -> f64 {
        self.matrix.diag(a as usize)
    }
}

const EMPTY: u32 = u32::MAX;

/// Kernel rows over a list of data rows, computed when asked and cached (LRU).
/// Kernel ids are positions in `rows`.
pub(crate) struct LruRows<'a> {
    x: &'a Matrix,
    rows: Vec<usize>,
    spec: KernelSpec,
    sq: Vec<f64>,
    diag: Vec<f64>,
    /// slot holding each row's values, or `EMPTY`
    slot_of: Vec<u32>,
    /// row held by each slot, or `EMPTY`
    owner: Vec<u32>,
    last_used: Vec<u64>,
    clock: u64,
    storage: Vec<f32>,
    misses: u64,
}

impl<'a> LruRows<'a> {
    /// `cache_bytes` is the budget for cached rows; at least two rows are always kept.
    pub fn new(x: &'a Matrix, rows: Vec<usize>, spec: KernelSpec, cache_bytes: usize) -> Self {
        let l = rows.len();
        let row_bytes = (l * std::mem::size_of::<f32>()).max(1);
        let slots = (cache_bytes / row_bytes).clamp(2, l.max(2));
        let sq: Vec<f64> = rows.iter().map(|&r| dot(x.row(r), x.row(r))).collect();
        let diag = sq.iter().map(|&s| spec.value_from_dot(s, s, s)).collect();
        Self {
            x,
            rows,
            spec,
            sq,
            diag,
            slot_of: vec![EMPTY; l],
            owner: vec![EMPTY; slots],
            last_used: vec![0; slots],
            clock: 0,
            storage: vec![0.0; slots * l],
            misses: 0,
        }
    }

    /// Number of rows computed so far (for tests and diagnostics).
    #[cfg(test)]
    pub fn misses(&self) -> u64 {
        self.misses
    }

    fn ensure(&mut self, a: usize) -> usize {
        self.clock += 1;
        let l = self.rows.len();
        let slot = self.slot_of[a];
        if slot != EMPTY {
            self.last_used[slot as usize] = self.clock;
            return slot as usize;
        }
        self.misses += 1;
        // a free slot, else the least recently used one
        let mut victim = 0;
        for s in 0..self.owner.len() {
            if self.owner[s] == EMPTY {
                victim = s;
                break;
            }
            if self.last_used[s] < self.last_used[victim] {
                victim = s;
            }
        }
        let old = self.owner[victim];
        if old != EMPTY {
            self.slot_of[old as usize] = EMPTY;
        }
        self.owner[victim] = a as u32;
        self.slot_of[a] = victim as u32;
        self.last_used[victim] = self.clock;
        let xa = self.x.row(self.rows[a]);
        let sa = self.sq[a];
        let out = &mut self.storage[victim * l..(victim + 1) * l];
        for ((o, &r), &sb) in out.iter_mut().zip(&self.rows).zip(&self.sq) {
            *o = self.spec.value_from_dot(dot(xa, self.x.row(r)), sa, sb) as f32;
        }
        victim
    }
}

impl KernelSource for LruRows<'_> {
    fn column(&mut self, a: u32, kids: &[u32], out: &mut [f32]) {
        let slot = self.ensure(a as usize);
        let l = self.rows.len();
        let row = &self.storage[slot * l..(slot + 1) * l];
        for (o, &k) in out.iter_mut().zip(kids) {
            *o = row[k as usize];
        }
    }

    fn diag(&self, a: u32) -> f64 {
        self.diag[a as usize]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::svm::gram::Gram;
    use crate::svm::params::Kernel;

    #[test]
    fn lru_rows_equal_dense_rows_and_evict() {
        let (n, d) = (9, 3);
        let vals: Vec<f64> = (0..n * d).map(|i| (i as f64 * 0.7).cos()).collect();
        let x = Matrix::new(vals, n, d).unwrap();
        let spec = KernelSpec {
            kind: Kernel::Rbf,
            gamma: 0.4,
            degree: 3,
            coef0: 0.0,
        };
        let km = KernelMatrix::from_gram(&Gram::new(&x), &spec);
        let mut dense = DenseRows { matrix: &km };
        // room for 2 rows of 9 floats only
        let mut lru = LruRows::new(&x, (0..n).collect(), spec, 2 * 9 * 4);
        let kids: Vec<u32> = (0..n as u32).rev().collect();
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        for round in 0..2 {
            for i in 0..n as u32 {
                dense.column(i, &kids, &mut a);
                lru.column(i, &kids, &mut b);
                assert_eq!(a, b, "row {i} round {round}");
                assert_eq!(dense.diag(i), lru.diag(i));
            }
        }
        assert_eq!(lru.misses(), 2 * n as u64);
        lru.column(8, &kids, &mut b); // most recent: cached
        assert_eq!(lru.misses(), 2 * n as u64);
    }
}
