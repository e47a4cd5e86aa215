//! fANOVA (Hutter, Hoos & Leyton-Brown, ICML 2014): the share of a random
//! forest's variance that each parameter's marginal explains.
//!
//! For one tree with leaves `L` (boxes of the encoded domain, relative
//! volumes `ν_L`, predictions `v_L`), the marginal prediction of a parameter
//! `p` (its columns `C`: one, or a categorical's one-hot columns) at `x_C` is
//! the average of the tree over the other columns,
//! `f_p(x_C) = Σ_L v_L · ν_L / ν_L^C · 1[x_C ∈ L_C]`, where `ν_L^C` is the
//! relative volume of the leaf's projection on `C`. It is piecewise constant
//! on the tree's leaf partition, so its variance over the domain is exact:
//! over the cells between the tree's thresholds for one column (a prefix sum
//! of leaf intervals), and for several columns through the overlaps of the
//! leaves' projections (`E f² = Σ_{L,L'} c_L c_L' |L_C ∩ L'_C|`, leaves with
//! one projection grouped first). The importance is that variance divided by
//! the tree's total variance, averaged over the trees whose variance is
//! positive (Optuna's `FanovaImportanceEvaluator`, whose defaults these are).

use rayon::prelude::*;

use crate::random::seed::{mix64, GOLDEN};
use crate::random::FastRng;
use crate::space::Domain;

use super::forest::{bootstrap, grow, Tree, TreeParams};
use super::ped_anova::single;
use super::{ImportanceError, Trials};

/// fANOVA's options (Optuna 5.1's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct FanovaOptions {
    /// Trees in the forest: 64.
    pub n_trees: usize,
    /// Maximum depth of a tree: 64.
    pub max_depth: usize,
    /// Fewest distinct rows a node needs to be split: 2.
    pub min_samples_split: usize,
    /// Fewest distinct rows in a leaf: 1.
    pub min_samples_leaf: usize,
    /// The forest's seed: 0.
    pub seed: u64,
}

impl Default for FanovaOptions {
    fn default() -> Self {
        Self {
            n_trees: 64,
            max_depth: 64,
            min_samples_split: 2,
            min_samples_leaf: 1,
            seed: 0,
        }
    }
}

impl FanovaOptions {
    /// Checks `n_trees ≥ 1`, `max_depth ≥ 1`, `min_samples_split ≥ 2`, `min_samples_leaf ≥ 1`.
    pub fn check(&self) -> Result<(), ImportanceError> {
        let bad = |option, expected, value: usize| {
            Err(ImportanceError::InvalidOption {
                option,
                expected,
                value: value as f64,
            })
        };
        if self.n_trees < 1 {
            return bad("nTrees", "an integer ≥ 1", self.n_trees);
        }
        if self.max_depth < 1 {
            return bad("maxDepth", "an integer ≥ 1", self.max_depth);
        }
        if self.min_samples_split < 2 {
            return bad("minSamplesSplit", "an integer ≥ 2", self.min_samples_split);
        }
        if self.min_samples_leaf < 1 {
            return bad("minSamplesLeaf", "an integer ≥ 1", self.min_samples_leaf);
        }
        Ok(())
    }
}

/// The encoded matrix: numeric parameters in their own units, categoricals
/// one-hot; single-valued parameters left out.
struct Encoded {
    x: Vec<f64>,
    width: usize,
    /// `[low, high]` of each column
    bounds: Vec<(f64, f64)>,
    /// the columns of each parameter (empty: single-valued)
    columns: Vec<Vec<usize>>,
}

fn encode(trials: &Trials<'_>) -> Encoded {
    let mut bounds = Vec::new();
    let mut columns = Vec::new();
    for p in trials.space.params() {
        if single(&p.domain) {
            columns.push(Vec::new());
            continue;
        }
        let start = bounds.len();
        match p.domain {
            Domain::Float { low, high, .. } => bounds.push((low, high)),
            Domain::Int { low, high, .. } => bounds.push((low as f64, high as f64)),
            Domain::Categorical { n_choices } => {
                bounds.extend(std::iter::repeat_n((0.0, 1.0), n_choices))
            }
        }
        columns.push((start..bounds.len()).collect());
    }
    let width = bounds.len();
    let n = trials.len();
    let mut x = vec![0.0; n * width];
    for i in 0..n {
        for (j, p) in trials.space.params().iter().enumerate() {
            let cols = &columns[j];
            let Some(&c0) = cols.first() else { continue };
            let v = trials.value(i, j);
            match p.domain {
                Domain::Categorical { .. } => x[i * width + c0 + v as usize] = 1.0,
                _ => x[i * width + c0] = v,
            }
        }
    }
    Encoded {
        x,
        width,
        bounds,
        columns,
    }
}

struct Leaf {
    value: f64,
    /// relative volume
    volume: f64,
    lo: Vec<f64>,
    hi: Vec<f64>,
}

fn leaves(tree: &Tree, bounds: &[(f64, f64)]) -> Vec<Leaf> {
    let mut out = Vec::new();
    let lo0: Vec<f64> = bounds.iter().map(|b| b.0).collect();
    let hi0: Vec<f64> = bounds.iter().map(|b| b.1).collect();
    let mut stack = vec![(0usize, lo0, hi0)];
    while let Some((k, lo, hi)) = stack.pop() {
        let node = &tree.nodes[k];
        if node.feature < 0 {
            let volume = lo
                .iter()
                .zip(&hi)
                .zip(bounds)
                .map(|((l, h), b)| (h - l) / (b.1 - b.0))
                .product();
            out.push(Leaf {
                value: node.value,
                volume,
                lo,
                hi,
            });
            continue;
        }
        let f = node.feature as usize;
        let t = node.threshold.clamp(lo[f], hi[f]);
        let mut left_hi = hi.clone();
        left_hi[f] = t;
        let mut right_lo = lo.clone();
        right_lo[f] = t;
        stack.push((node.right, right_lo, hi));
        stack.push((node.left, lo, left_hi));
    }
    out
}

/// Relative length of `[lo, hi]` in column `c`.
fn rel(lo: f64, hi: f64, b: (f64, f64)) -> f64 {
    (hi - lo) / (b.1 - b.0)
}

/// The variance of the marginal of one parameter (columns `cols`) of a tree,
/// from its leaves with centred values.
fn marginal_variance(leaves: &[Leaf], mean: f64, cols: &[usize], bounds: &[(f64, f64)]) -> f64 {
    if let [c] = cols {
        let c = *c;
        let b = bounds[c];
        let mut edges: Vec<f64> = leaves.iter().flat_map(|l| [l.lo[c], l.hi[c]]).collect();
        edges.sort_by(f64::total_cmp);
        edges.dedup();
        let mut diff = vec![0.0; edges.len()];
        for l in leaves {
            let len = rel(l.lo[c], l.hi[c], b);
            if len <= 0.0 || l.volume <= 0.0 {
                continue;
            }
            let coef = (l.value - mean) * l.volume / len;
            let a = edges.partition_point(|&e| e < l.lo[c]);
            let z = edges.partition_point(|&e| e < l.hi[c]);
            diff[a] += coef;
            diff[z] -= coef;
        }
        let mut f = 0.0;
        let mut var = 0.0;
        for k in 0..edges.len().saturating_sub(1) {
            f += diff[k];
            var += rel(edges[k], edges[k + 1], b) * f * f;
        }
        return var.max(0.0);
    }
    // several columns: group the leaves by their projection on `cols`
    let mut groups: Vec<(Vec<u64>, f64)> = Vec::new();
    let mut index = std::collections::HashMap::<Vec<u64>, usize>::new();
    for l in leaves {
        let r: f64 = cols
            .iter()
            .map(|&c| rel(l.lo[c], l.hi[c], bounds[c]))
            .product();
        if r <= 0.0 || l.volume <= 0.0 {
            continue;
        }
        let key: Vec<u64> = cols
            .iter()
            .flat_map(|&c| [l.lo[c].to_bits(), l.hi[c].to_bits()])
            .collect();
        let coef = (l.value - mean) * l.volume / r;
        match index.get(&key) {
            Some(&g) => groups[g].1 += coef,
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, coef));
            }
        }
    }
    let boxes: Vec<(Vec<(f64, f64)>, f64)> = groups
        .into_iter()
        .map(|(key, coef)| {
            let b = key
                .chunks(2)
                .map(|p| (f64::from_bits(p[0]), f64::from_bits(p[1])))
                .collect();
            (b, coef)
        })
        .collect();
    let mut var = 0.0;
    for (i, (bi, ci)) in boxes.iter().enumerate() {
        for (bj, cj) in &boxes[i..] {
            let mut overlap = 1.0;
            for (k, &c) in cols.iter().enumerate() {
                let lo = bi[k].0.max(bj[k].0);
                let hi = bi[k].1.min(bj[k].1);
                if hi <= lo {
                    overlap = 0.0;
                    break;
                }
                overlap *= rel(lo, hi, bounds[c]);
            }
            let term = ci * cj * overlap;
            var += if std::ptr::eq(bi, bj) {
                term
            } else {
                2.0 * term
            };
        }
    }
    var.max(0.0)
}

/// One tree's total variance and each parameter's marginal variance.
fn tree_variances(tree: &Tree, e: &Encoded) -> (f64, Vec<f64>) {
    let leaves = leaves(tree, &e.bounds);
    let mean: f64 = leaves.iter().map(|l| l.value * l.volume).sum();
    let total: f64 = leaves
        .iter()
        .map(|l| l.volume * (l.value - mean).powi(2))
        .sum();
    let per = e
        .columns
        .iter()
        .map(|cols| {
            if cols.is_empty() {
                0.0
            } else {
                marginal_variance(&leaves, mean, cols, &e.bounds)
            }
        })
        .collect();
    (total, per)
}

/// The forest fANOVA fits: one tree per index, each on its own bootstrap
/// sample and random stream.
fn fit_tree(e: &Encoded, y: &[f64], o: &FanovaOptions, t: usize) -> Tree {
    let mut rng = FastRng::new(mix64(
        o.seed ^ mix64((t as u64).wrapping_add(1).wrapping_mul(GOLDEN)),
    ));
    let (rows, w) = bootstrap(y.len(), &mut rng);
    let params = TreeParams {
        max_depth: o.max_depth,
        min_samples_split: o.min_samples_split,
        min_samples_leaf: o.min_samples_leaf,
    };
    grow(&e.x, e.width, y, rows, &w, &params, &mut rng)
}

/// fANOVA importances (before normalisation) of every parameter; the input
/// is checked by the caller.
pub(crate) fn importances(
    trials: &Trials<'_>,
    o: &FanovaOptions,
) -> Result<Vec<f64>, ImportanceError> {
    let e = encode(trials);
    let d = e.columns.len();
    if e.width == 0 {
        return Ok(vec![0.0; d]);
    }
    let per_tree: Vec<(f64, Vec<f64>)> = (0..o.n_trees)
        .into_par_iter()
        .map(|t| tree_variances(&fit_tree(&e, trials.targets, o, t), &e))
        .collect();
    let mut sums = vec![0.0; d];
    let mut used = 0usize;
    for (total, per) in &per_tree {
        if *total > 0.0 {
            used += 1;
            for (s, v) in sums.iter_mut().zip(per) {
                *s += v / total;
            }
        }
    }
    if used == 0 {
        return Err(ImportanceError::ZeroVariance);
    }
    Ok(sums.into_iter().map(|s| s / used as f64).collect())
}
