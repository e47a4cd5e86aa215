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
    /// rows of the node sorted by the feature; the first `pos` go left
    pos: usize,
    sorted: Vec<usize>,
}

/// Grows one tree on `x` (`n × d`, row-major), `y`, the rows `rows` with
/// weights `w` (bootstrap counts, all > 0).
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
    // (rows, depth, parent slot to patch: (parent, is_left))
    type Pending = (Vec<usize>, usize, Option<(usize, bool)>);
    let mut stack: Vec<Pending> = vec![(rows, 0, None)];
    let mut features: Vec<usize> = (0..d).collect();
    while let Some((rows, depth, parent)) = stack.pop() {
        let id = nodes.len();
        if let Some((p, left)) = parent {
            if left {
                nodes[p].left = id;
            } else {
                nodes[p].right = id;
            }
        }
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
            best_split(x, d, y, w, &rows, params, &mut features, rng)
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
                let mut sorted = s.sorted;
                let right = sorted.split_off(s.pos);
                // right pushed first: the left child is grown (and numbered) first
                stack.push((right, depth + 1, Some((id, false))));
                stack.push((sorted, depth + 1, Some((id, true))));
            }
        }
    }
    Tree { nodes }
}

#[allow(clippy::too_many_arguments)]
fn best_split(
    x: &[f64],
    d: usize,
    y: &[f64],
    w: &[f64],
    rows: &[usize],
    params: &TreeParams,
    features: &mut [usize],
    rng: &mut FastRng,
) -> Option<Split> {
    // features in a random order (ties go to the first one met)
    for i in (1..features.len()).rev() {
        let j = rng.below(i + 1);
        features.swap(i, j);
    }
    let (sw, swy) = rows
        .iter()
        .fold((0.0, 0.0), |(a, b), &i| (a + w[i], b + w[i] * y[i]));
    let n = rows.len();
    let min_leaf = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = None;
    let mut sorted = rows.to_vec();
    for &f in features.iter() {
        sorted.sort_by(|&a, &b| x[a * d + f].total_cmp(&x[b * d + f]));
        let xf = |k: usize| x[sorted[k] * d + f];
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
                        sorted: sorted.clone(),
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
