//! A regression random forest (Breiman 2001) as fANOVA needs it: CART trees
//! grown on bootstrap samples with the squared-error criterion, every
//! feature considered at every split (in a random order, which only breaks
//! ties), thresholds halfway between consecutive distinct values, and the
//! stopping rules `max_depth`, `min_samples_split`, `min_samples_leaf` counted
//! in distinct training rows (a row drawn twice weighs 2): the forest of
//! scikit-learn's `RandomForestRegressor` with its defaults, which Optuna's
//! fANOVA fits.

use crate::random::FastRng;

/// Values closer than this count as equal when looking for a split.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// One node: a split (`feature ≥ 0`: rows with `x[feature] ≤ threshold` go
/// left) or a leaf (`feature < 0`) predicting `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub feature: i32,
    pub threshold: f64,
    pub left: usize,
    pub right: usize,
    pub value: f64,
}

/// A fitted regression tree; node 0 is the root.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// The tree's prediction at `x`.
    pub fn predict(&self, x: &[f64]) -> f64 {
        let mut k = 0;
        loop {
            let n = &self.nodes[k];
            if n.feature < 0 {
                return n.value;
            }
            k = if x[n.feature as usize] <= n.threshold {
                n.left
            } else {
                n.right
            };
        }
    }
}

/// How a tree grows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreeParams {
    pub max_depth: usize,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
}

struct Split {
    feature: usize,
    threshold: f64,
    /// the first `pos` rows of the feature's sorted order go left
    pos: usize,
}

/// The rows of every node, sorted by each feature: one array per feature, a
/// node owning the range `start..end` of each (the same rows in each).
type Orders = Vec<Vec<usize>>;

/// Grows one tree on `x` (`n × d`, row-major), `y`, the rows `rows` with
/// weights `w` (bootstrap counts, all > 0). The rows are sorted by each
/// feature once; a split partitions every order stably in place, so no node
/// sorts or allocates.
pub fn grow(
    x: &[f64],
    d: usize,
    y: &[f64],
    rows: Vec<usize>,
    w: &[f64],
    params: &TreeParams,
    rng: &mut FastRng,
) -> Tree {
    let mut nodes: Vec<Node> = Vec::new();
    let m = rows.len();
    // column-major: a feature's values close together for the scans
    let rows_total = y.len();
    let mut xt = vec![0.0; rows_total * d];
    for i in 0..rows_total {
        for f in 0..d {
            xt[f * rows_total + i] = x[i * d + f];
        }
    }
    let mut orders: Orders = (0..d)
        .map(|f| {
            let col = &xt[f * rows_total..(f + 1) * rows_total];
            let mut o = rows.clone();
            o.sort_by(|&a, &b| col[a].total_cmp(&col[b]));
            o
        })
        .collect();
    let mut goes_left = vec![false; y.len()];
    let mut scratch: Vec<usize> = Vec::with_capacity(m);
    // (start, end, depth, parent slot to patch: (parent, is_left))
    type Pending = (usize, usize, usize, Option<(usize, bool)>);
    let mut stack: Vec<Pending> = vec![(0, m, 0, None)];
    let mut features: Vec<usize> = (0..d).collect();
    while let Some((start, end, depth, parent)) = stack.pop() {
        let id = nodes.len();
        if let Some((p, left)) = parent {
            if left {
                nodes[p].left = id;
            } else {
                nodes[p].right = id;
            }
        }
        let rows: &[usize] = orders.first().map_or(&[], |o| &o[start..end]);
        let (sw, swy, swyy) = rows.iter().fold((0.0, 0.0, 0.0), |(a, b, c), &i| {
            (a + w[i], b + w[i] * y[i], c + w[i] * y[i] * y[i])
        });
        let mean = swy / sw;
        let impurity = swyy / sw - mean * mean;
        let n = rows.len();
        let leaf_by_rule = depth >= params.max_depth
            || n < params.min_samples_split
            || n < 2 * params.min_samples_leaf
            || impurity <= f64::EPSILON;
        let split = if leaf_by_rule {
            None
        } else {
            let node_orders: Vec<&[usize]> = orders.iter().map(|o| &o[start..end]).collect();
            best_split(
                &xt,
                rows_total,
                y,
                w,
                &node_orders,
                (sw, swy),
                params,
                &mut features,
                rng,
            )
        };
        match split {
            None => nodes.push(Node {
                feature: -1,
                threshold: f64::NAN,
                left: usize::MAX,
                right: usize::MAX,
                value: mean,
            }),
            Some(s) => {
                nodes.push(Node {
                    feature: s.feature as i32,
                    threshold: s.threshold,
                    left: usize::MAX,
                    right: usize::MAX,
                    value: mean,
                });
                for (k, &r) in orders[s.feature][start..end].iter().enumerate() {
                    goes_left[r] = k < s.pos;
                }
                for o in orders.iter_mut() {
                    let range = &mut o[start..end];
                    scratch.clear();
                    let mut j = 0;
                    for k in 0..range.len() {
                        let r = range[k];
                        if goes_left[r] {
                            range[j] = r;
                            j += 1;
                        } else {
                            scratch.push(r);
                        }
                    }
                    range[j..].copy_from_slice(&scratch);
                }
                let mid = start + s.pos;
                // right pushed first: the left child is grown (and numbered) first
                stack.push((mid, end, depth + 1, Some((id, false))));
                stack.push((start, mid, depth + 1, Some((id, true))));
            }
        }
    }
    Tree { nodes }
}

#[allow(clippy::too_many_arguments)]
fn best_split(
    xt: &[f64],
    rows_total: usize,
    y: &[f64],
    w: &[f64],
    orders: &[&[usize]],
    (sw, swy): (f64, f64),
    params: &TreeParams,
    features: &mut [usize],
    rng: &mut FastRng,
) -> Option<Split> {
    // features in a random order (ties go to the first one met)
    for i in (1..features.len()).rev() {
        let j = rng.below(i + 1);
        features.swap(i, j);
    }
    let min_leaf = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = None;
    for &f in features.iter() {
        let sorted = orders[f];
        let n = sorted.len();
        let col = &xt[f * rows_total..(f + 1) * rows_total];
        let xf = |k: usize| col[sorted[k]];
        if xf(n - 1) <= xf(0) + FEATURE_THRESHOLD {
            continue;
        }
        let (mut lw, mut ly) = (0.0, 0.0);
        let mut found: Option<(f64, usize)> = None;
        for p in 1..n {
            let r = sorted[p - 1];
            lw += w[r];
            ly += w[r] * y[r];
            if xf(p) <= xf(p - 1) + FEATURE_THRESHOLD {
                continue;
            }
            if p < min_leaf || n - p < min_leaf {
                continue;
            }
            let rw = sw - lw;
            let ry = swy - ly;
            let proxy = ly * ly / lw + ry * ry / rw;
            if found.is_none_or(|(b, _)| proxy > b) {
                found = Some((proxy, p));
            }
        }
        if let Some((proxy, p)) = found {
            if best.as_ref().is_none_or(|(b, _)| proxy > *b) {
                let (a, b) = (xf(p - 1), xf(p));
                let mut threshold = a / 2.0 + b / 2.0;
                if threshold == b || !threshold.is_finite() {
                    threshold = a;
                }
                best = Some((
                    proxy,
                    Split {
                        feature: f,
                        threshold,
                        pos: p,
                    },
                ));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Bootstrap counts of `n` rows: the distinct rows drawn and their weights.
pub fn bootstrap(n: usize, rng: &mut FastRng) -> (Vec<usize>, Vec<f64>) {
    let mut w = vec![0.0; n];
    for _ in 0..n {
        w[rng.below(n)] += 1.0;
    }
    let rows = (0..n).filter(|&i| w[i] > 0.0).collect();
    (rows, w)
}
