//! One-vs-one multi-class training and voting (Chang & Lin 2011, §7).
//!
//! The classes are the label codes present in the training labels, sorted.
//! For each pair `(a, b)`, `a < b`, a binary problem is solved on class `a`'s
//! samples (in their original order, `y = +1`, bound `C·w_a`) followed by class
//! `b`'s (`y = −1`, bound `C·w_b`). A sample is a support vector of the model
//! when it has a non-zero coefficient in any pair; support vectors are kept
//! grouped by class, in training order. Prediction: each pair votes for `a` when
//! its decision value is `> 0`, else for `b`; most votes win, ties go to the
//! smallest class.

use rayon::prelude::*;

use super::error::SvmError;
use super::gram::KernelMatrix;
use super::kernel::KernelSpec;
use super::kernel_cache::{DenseRows, LruRows};
use super::params::{ClassWeight, SvcParams};
use super::q_matrix::{CowQ, GatherQ, LocalQ, LOCAL_MAX_L};
use super::solver::{self, Problem, Solution};
use crate::data::Matrix;

/// Where the kernel values of the training samples come from.
pub(crate) enum Backend<'a> {
    /// A precomputed matrix; `kid[p]` is training sample `p`'s index in it.
    Dense {
        matrix: &'a KernelMatrix,
        kid: &'a [u32],
    },
    /// As `Dense`, with each pair's kernel matrix already copied out: `local[p]`
    /// is pair `p`'s (pairs in `pair_list` order), from [`local_copies`] on the
    /// same training codes; each solve reads it in place until it first
    /// shrinks, then works on a clone of it.
    Local {
        matrix: &'a KernelMatrix,
        kid: &'a [u32],
        local: &'a [Option<LocalQ>],
    },
    /// Computed on demand from the training matrix (row `p` = sample `p`),
    /// `cache_bytes` of LRU cache per binary problem.
    Lru {
        x: &'a Matrix,
        spec: KernelSpec,
        cache_bytes: usize,
    },
}

/// A trained one-vs-one model, support vectors given as training positions.
#[derive(Debug, Clone)]
pub(crate) struct Ovo {
    pub classes: Vec<u32>,
    /// `class_start[c]..class_start[c + 1]` are class `c`'s support vectors
    pub class_start: Vec<usize>,
    /// training positions of the support vectors
    pub sv: Vec<usize>,
    /// LIBSVM's layout: row `r` (of `n_classes − 1`) × column = support vector;
    /// pair `(a, b)` keeps class `a`'s coefficients in row `b − 1` and class
    /// `b`'s in row `a`.
    pub coef: Vec<f64>,
    pub rho: Vec<f64>,
    pub n_iter: Vec<u64>,
    pub converged: bool,
}

/// Sorted class codes present in `codes`, and the positions of each.
pub(crate) fn group_classes(codes: &[u32]) -> (Vec<u32>, Vec<Vec<usize>>) {
    let mut classes: Vec<u32> = codes.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let mut members = vec![Vec::new(); classes.len()];
    for (p, code) in codes.iter().enumerate() {
        if let Ok(c) = classes.binary_search(code) {
            members[c].push(p);
        }
    }
    (classes, members)
}

/// `C` of each present class, as scikit-learn passes it to libsvm.
fn class_bounds(params: &SvcParams, classes: &[u32], members: &[Vec<usize>], n: usize) -> Vec<f64> {
    match &params.class_weight {
        ClassWeight::Uniform => vec![params.c; classes.len()],
        ClassWeight::Balanced => {
            let k = classes.len() as f64;
            members
                .iter()
                .map(|m| params.c * (n as f64 / (k * m.len() as f64)))
                .collect()
        }
        ClassWeight::PerClass(w) => classes
            .iter()
            .map(|&c| params.c * w.get(c as usize).copied().unwrap_or(1.0))
            .collect(),
    }
}

/// The one-vs-one pairs `(a, b)`, `a < b`, of `k` classes, in training order.
fn pair_list(k: usize) -> Vec<(usize, usize)> {
    (0..k)
        .flat_map(|a| (a + 1..k).map(move |b| (a, b)))
        .collect()
}

/// Kernel ids of pair `(a, b)`'s variables: class `a`'s samples, then class `b`'s.
fn pair_kids(members: &[Vec<usize>], a: usize, b: usize, kid: &[u32]) -> Vec<u32> {
    members[a]
        .iter()
        .chain(members[b].iter())
        .map(|&p| kid[p])
        .collect()
}

/// Bytes [`local_copies`] would take for these training codes.
pub(crate) fn local_copies_bytes(codes: &[u32]) -> usize {
    let (_, members) = group_classes(codes);
    pair_list(members.len())
        .iter()
        .map(|&(a, b)| members[a].len() + members[b].len())
        .filter(|&l| l <= LOCAL_MAX_L)
        .map(LocalQ::bytes_for)
        .sum()
}

/// Every pair's kernel matrix copied out of `matrix` once (`None` for pairs too
/// large for a [`LocalQ`]), for [`Backend::Local`]: fits that differ only in C,
/// class weights or the stopping rule then clone these instead of gathering
/// the same values again. The values are the ones `Backend::Dense` copies.
pub(crate) fn local_copies(
    codes: &[u32],
    matrix: &KernelMatrix,
    kid: &[u32],
) -> Vec<Option<LocalQ>> {
    let (_, members) = group_classes(codes);
    let mut src = DenseRows { matrix };
    pair_list(members.len())
        .iter()
        .map(|&(a, b)| {
            let kids = pair_kids(&members, a, b, kid);
            (kids.len() <= LOCAL_MAX_L).then(|| LocalQ::new(&mut src, &kids))
        })
        .collect()
}

/// Trains every pair. `codes[p]` is the class code of training sample `p`.
/// `parallel`: solve the pairs in parallel (rayon) or one after the other.
pub(crate) fn train(
    params: &SvcParams,
    codes: &[u32],
    backend: &Backend<'_>,
    parallel: bool,
) -> Result<Ovo, SvmError> {
    let (classes, members) = group_classes(codes);
    if classes.len() < 2 {
        return Err(SvmError::SingleClass {
            class: classes.first().copied().unwrap_or(0),
        });
    }
    let k = classes.len();
    let bounds = class_bounds(params, &classes, &members, codes.len());
    let pairs = pair_list(k);

    let solve_pair = |(pair, &(a, b)): (usize, &(usize, usize))| {
        let (ma, mb) = (&members[a], &members[b]);
        let l = ma.len() + mb.len();
        let mut y = vec![1i8; ma.len()];
        y.resize(l, -1);
        let mut c = vec![bounds[a]; ma.len()];
        c.resize(l, bounds[b]);
        let positions = ma.iter().chain(mb.iter()).copied();
        let max_iter = params.iteration_cap(l);
        let problem = Problem {
            y: &y,
            c: &c,
            eps: params.tol,
            shrinking: params.shrinking,
            max_iter,
        };
        match backend {
            Backend::Local { matrix, kid, local } => match local.get(pair) {
                Some(Some(q)) => solver::solve(&problem, &mut CowQ::new(q)),
                _ => {
                    let kids = pair_kids(&members, a, b, kid);
                    let mut src = DenseRows { matrix };
                    solver::solve(&problem, &mut GatherQ::new(&mut src, &kids))
                }
            },
            Backend::Dense { matrix, kid } => {
                let kids: Vec<u32> = positions.map(|p| kid[p]).collect();
                let mut src = DenseRows { matrix };
                if l <= LOCAL_MAX_L {
                    solver::solve(&problem, &mut LocalQ::new(&mut src, &kids))
                } else {
                    solver::solve(&problem, &mut GatherQ::new(&mut src, &kids))
                }
            }
            Backend::Lru {
                x,
                spec,
                cache_bytes,
            } => {
                let kids: Vec<u32> = (0..l as u32).collect();
                let mut src = LruRows::new(x, positions.collect(), *spec, *cache_bytes);
                solver::solve(&problem, &mut GatherQ::new(&mut src, &kids))
            }
        }
    };
    let solutions: Vec<Solution> = if parallel {
        pairs.par_iter().enumerate().map(solve_pair).collect()
    } else {
        pairs.iter().enumerate().map(solve_pair).collect()
    };

    // support vectors: non-zero in any pair
    let mut nonzero = vec![false; codes.len()];
    for (&(a, b), sol) in pairs.iter().zip(&solutions) {
        for (&p, &v) in members[a].iter().chain(&members[b]).zip(&sol.coef) {
            if v.abs() > 0.0 {
                nonzero[p] = true;
            }
        }
    }
    let mut sv = Vec::new();
    let mut class_start = vec![0];
    let mut slot = vec![usize::MAX; codes.len()];
    for m in &members {
        for &p in m {
            if nonzero[p] {
                slot[p] = sv.len();
                sv.push(p);
            }
        }
        class_start.push(sv.len());
    }
    let n_sv = sv.len();
    let mut coef = vec![0.0; (k - 1) * n_sv];
    for (&(a, b), sol) in pairs.iter().zip(&solutions) {
        let (ma, mb) = (&members[a], &members[b]);
        for (&p, &v) in ma.iter().zip(&sol.coef[..ma.len()]) {
            if nonzero[p] {
                coef[(b - 1) * n_sv + slot[p]] = v;
            }
        }
        for (&p, &v) in mb.iter().zip(&sol.coef[ma.len()..]) {
            if nonzero[p] {
                coef[a * n_sv + slot[p]] = v;
            }
        }
    }
    Ok(Ovo {
        classes,
        class_start,
        sv,
        coef,
        rho: solutions.iter().map(|s| s.rho).collect(),
        n_iter: solutions.iter().map(|s| s.iterations).collect(),
        converged: solutions.iter().all(|s| s.converged),
    })
}

impl Ovo {
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    pub fn n_pairs(&self) -> usize {
        let k = self.classes.len();
        k * (k - 1) / 2
    }

    pub fn n_support(&self) -> Vec<usize> {
        self.class_start.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// Pair decision values (LIBSVM's sign: positive → the pair's first class)
    /// from the kernel values between one sample and every support vector.
    pub fn decision_values(&self, kvalue: &[f64], dec: &mut [f64]) {
        let k = self.classes.len();
        let n_sv = self.sv.len();
        let mut p = 0;
        for a in 0..k {
            for b in a + 1..k {
                let (sa, ea) = (self.class_start[a], self.class_start[a + 1]);
                let (sb, eb) = (self.class_start[b], self.class_start[b + 1]);
                let row_a = &self.coef[(b - 1) * n_sv..b * n_sv];
                let row_b = &self.coef[a * n_sv..(a + 1) * n_sv];
                let mut sum = 0.0;
                for s in sa..ea {
                    sum += row_a[s] * kvalue[s];
                }
                for s in sb..eb {
                    sum += row_b[s] * kvalue[s];
                }
                sum -= self.rho[p];
                dec[p] = sum;
                p += 1;
            }
        }
    }

    /// Index (into `classes`) of the class with most votes, ties to the smallest.
    pub fn vote(&self, dec: &[f64]) -> usize {
        let k = self.classes.len();
        let mut votes = vec![0usize; k];
        let mut p = 0;
        for a in 0..k {
            for b in a + 1..k {
                if dec[p] > 0.0 {
                    votes[a] += 1;
                } else {
                    votes[b] += 1;
                }
                p += 1;
            }
        }
        let mut best = 0;
        for c in 1..k {
            if votes[c] > votes[best] {
                best = c;
            }
        }
        best
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn toy(classes: Vec<u32>, start: Vec<usize>, rho: Vec<f64>) -> Ovo {
        let n_sv = *start.last().unwrap();
        let k = classes.len();
        Ovo {
            classes,
            class_start: start,
            sv: (0..n_sv).collect(),
            coef: vec![0.0; (k - 1) * n_sv],
            rho,
            n_iter: vec![],
            converged: true,
        }
    }

    #[test]
    fn groups_sorted_classes_in_order() {
        let (classes, members) = group_classes(&[4, 1, 4, 2, 1]);
        assert_eq!(classes, vec![1, 2, 4]);
        assert_eq!(members, vec![vec![1, 4], vec![3], vec![0, 2]]);
    }

    #[test]
    fn vote_ties_go_to_the_smallest_class() {
        // three classes, each pair's decision is −rho (no support vector weight)
        let m = toy(vec![0, 1, 2], vec![0, 1, 2, 3], vec![-1.0, 1.0, -1.0]);
        let mut dec = vec![0.0; 3];
        m.decision_values(&[1.0, 1.0, 1.0], &mut dec);
        assert_eq!(dec, vec![1.0, -1.0, 1.0]);
        // (0,1) → 0, (0,2) → 2, (1,2) → 1 : one vote each, class 0 wins
        assert_eq!(m.vote(&dec), 0);
        // a zero decision value votes for the second class of the pair
        assert_eq!(m.vote(&[0.0, 0.0, 0.0]), 2);
        assert_eq!(m.vote(&[1.0, 1.0, 0.0]), 0);
    }

    #[test]
    fn balanced_bounds_follow_sklearn() {
        let params = SvcParams {
            c: 2.0,
            class_weight: ClassWeight::Balanced,
            ..SvcParams::default()
        };
        let codes = [0, 0, 0, 1, 2, 2];
        let (classes, members) = group_classes(&codes);
        let b = class_bounds(&params, &classes, &members, codes.len());
        assert_eq!(
            b,
            vec![2.0 * (6.0 / 9.0), 2.0 * (6.0 / 3.0), 2.0 * (6.0 / 6.0)]
        );
        let params = SvcParams {
            class_weight: ClassWeight::PerClass(vec![1.0, 0.5, 3.0]),
            ..params
        };
        assert_eq!(
            class_bounds(&params, &classes, &members, 6),
            vec![2.0, 1.0, 6.0]
        );
    }
}
