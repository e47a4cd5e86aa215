//! The split of a study's trials into the good ("below") and the rest
//! ("above"), as Optuna's TPESampler makes it:
//!
//! - the `n_below` best COMPLETE trials are below: by value with one
//!   objective; with several, whole non-domination fronts in order, the last
//!   front that does not fit chosen by greedy hypervolume subset selection
//!   (Guerreiro, Fonseca & Paquete, *Greedy Hypervolume Subset Selection in
//!   Low Dimensions*, Evolutionary Computation 24(3), 2016) against the
//!   reference point `max(1.1 w, 0.9 w)` of that front's worst values `w`;
//! - if fewer COMPLETE trials than `n_below` exist, PRUNED ones fill up,
//!   those that got furthest first (then by their last reported value; none
//!   reported ranks last), then infeasible ones by their total violation;
//! - RUNNING trials (constant liar) are always above.
//!
//! Both lists are in trial order.

use crate::ga::Direction;

/// What the split needs of one trial.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Finished with these values (one per objective) and every constraint satisfied.
    Complete(Vec<f64>),
    /// Pruned, with its last report `(step, value)` if any.
    Pruned(Option<(f64, f64)>),
    /// Finished or pruned with violated constraints: the sum of the positive constraint values.
    Infeasible(f64),
    /// Still running (its point counts as a bad one: constant liar).
    Running,
}

/// `gamma(n)`: how many of `n` finished trials are below (Optuna's
/// `default_gamma`: `min(⌈n/10⌉, 25)` with one objective, `⌈n/10⌉` with several).
pub fn default_gamma(n: usize, n_objectives: usize) -> usize {
    let g = n.div_ceil(10);
    if n_objectives <= 1 {
        g.min(25)
    } else {
        g
    }
}

/// The indices of the below and above trials, each ascending.
pub fn split(
    trials: &[Outcome],
    directions: &[Direction],
    n_below: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut complete = Vec::new();
    let mut pruned = Vec::new();
    let mut infeasible = Vec::new();
    let mut above = Vec::new();
    for (i, t) in trials.iter().enumerate() {
        match t {
            Outcome::Running => above.push(i),
            Outcome::Complete(_) => complete.push(i),
            Outcome::Pruned(_) => pruned.push(i),
            Outcome::Infeasible(_) => infeasible.push(i),
        }
    }
    let mut below = Vec::new();
    let mut want = n_below;

    let (b, a) = split_complete(trials, &complete, directions, want.min(complete.len()));
    want = want.saturating_sub(b.len());
    below.extend(b);
    above.extend(a);

    let min = |v: f64| directions.first().map_or(v, |d| d.to_min(v));
    let pruned_key = |i: usize| -> (f64, f64) {
        match trials[i] {
            Outcome::Pruned(Some((step, v))) => {
                (-step, if v.is_nan() { f64::INFINITY } else { min(v) })
            }
            _ => (1.0, 0.0),
        }
    };
    pruned.sort_by(|&x, &y| {
        let (a, b) = (pruned_key(x), pruned_key(y));
        a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
    });
    let k = want.min(pruned.len());
    below.extend(&pruned[..k]);
    above.extend(&pruned[k..]);
    want -= k;

    let violation = |i: usize| match trials[i] {
        Outcome::Infeasible(v) => v,
        _ => 0.0,
    };
    infeasible.sort_by(|&x, &y| violation(x).total_cmp(&violation(y)));
    let k = want.min(infeasible.len());
    below.extend(&infeasible[..k]);
    above.extend(&infeasible[k..]);

    below.sort_unstable();
    above.sort_unstable();
    (below, above)
}

fn values(t: &Outcome) -> &[f64] {
    match t {
        Outcome::Complete(v) => v,
        _ => &[],
    }
}

fn split_complete(
    trials: &[Outcome],
    complete: &[usize],
    directions: &[Direction],
    n_below: usize,
) -> (Vec<usize>, Vec<usize>) {
    if directions.len() <= 1 {
        let d = directions.first().copied().unwrap_or_default();
        let mut order = complete.to_vec();
        // A stable sort: ties keep trial order.
        order.sort_by(|&a, &b| {
            d.to_min(values(&trials[a])[0])
                .total_cmp(&d.to_min(values(&trials[b])[0]))
        });
        return (order[..n_below].to_vec(), order[n_below..].to_vec());
    }
    if n_below == 0 {
        return (Vec::new(), complete.to_vec());
    }
    if n_below == complete.len() {
        return (complete.to_vec(), Vec::new());
    }
    let loss: Vec<Vec<f64>> = complete
        .iter()
        .map(|&i| {
            values(&trials[i])
                .iter()
                .zip(directions)
                .map(|(&v, d)| d.to_min(v))
                .collect()
        })
        .collect();
    let ranks = nondomination_ranks(&loss);
    let mut chosen = vec![false; complete.len()];
    let mut taken = 0;
    let mut rank = 0;
    loop {
        let front: Vec<usize> = (0..loss.len()).filter(|&i| ranks[i] == rank).collect();
        if taken + front.len() <= n_below {
            for &i in &front {
                chosen[i] = true;
            }
            taken += front.len();
            if taken == n_below {
                break;
            }
            rank += 1;
            continue;
        }
        let points: Vec<Vec<f64>> = front.iter().map(|&i| loss[i].clone()).collect();
        for k in hssp(&points, n_below - taken) {
            chosen[front[k]] = true;
        }
        break;
    }
    let below = complete
        .iter()
        .zip(&chosen)
        .filter(|(_, &c)| c)
        .map(|(&i, _)| i)
        .collect();
    let above = complete
        .iter()
        .zip(&chosen)
        .filter(|(_, &c)| !c)
        .map(|(&i, _)| i)
        .collect();
    (below, above)
}

/// Whether `a` dominates `b` (minimising every objective).
fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
}

/// The non-domination rank of each point (0 = the Pareto front).
fn nondomination_ranks(points: &[Vec<f64>]) -> Vec<usize> {
    let n = points.len();
    let mut rank = vec![usize::MAX; n];
    let mut left: Vec<usize> = (0..n).collect();
    let mut r = 0;
    while !left.is_empty() {
        let front: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&i| {
                !left
                    .iter()
                    .any(|&j| j != i && dominates(&points[j], &points[i]))
            })
            .collect();
        for &i in &front {
            rank[i] = r;
        }
        left.retain(|i| rank[*i] == usize::MAX);
        r += 1;
    }
    rank
}

/// The hypervolume dominated by `points` (minimised) up to `reference`, by
/// slicing along the last objective.
pub fn hypervolume(points: &[Vec<f64>], reference: &[f64]) -> f64 {
    let d = reference.len();
    let pts: Vec<&Vec<f64>> = points
        .iter()
        .filter(|p| p.iter().zip(reference).all(|(x, r)| x < r))
        .collect();
    if pts.is_empty() {
        return 0.0;
    }
    if d == 1 {
        return reference[0] - pts.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
    }
    let mut order: Vec<&Vec<f64>> = pts;
    order.sort_by(|a, b| a[d - 1].total_cmp(&b[d - 1]));
    let mut volume = 0.0;
    for k in 0..order.len() {
        let top = if k + 1 < order.len() {
            order[k + 1][d - 1]
        } else {
            reference[d - 1]
        };
        let depth = top - order[k][d - 1];
        if depth <= 0.0 {
            continue;
        }
        let slice: Vec<Vec<f64>> = order[..=k].iter().map(|p| p[..d - 1].to_vec()).collect();
        volume += depth * hypervolume(&slice, &reference[..d - 1]);
    }
    volume
}

/// Greedy hypervolume subset selection of `size` of `points` (one front):
/// duplicates are set aside (chosen last, in order, if the distinct points do
/// not suffice); the distinct points, in lexicographic order, are chosen one
/// at a time by largest hypervolume contribution, the first on ties.
fn hssp(points: &[Vec<f64>], size: usize) -> Vec<usize> {
    if size >= points.len() {
        return (0..points.len()).collect();
    }
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        points[a]
            .iter()
            .zip(&points[b])
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut unique: Vec<usize> = Vec::new();
    for &i in &order {
        if unique.last().is_none_or(|&j| points[j] != points[i]) {
            unique.push(i);
        }
    }
    if unique.len() < size {
        let mut chosen = unique.clone();
        let mut extra: Vec<usize> = (0..points.len()).filter(|i| !unique.contains(i)).collect();
        extra.truncate(size - unique.len());
        chosen.extend(extra);
        return chosen;
    }
    let d = points[0].len();
    let reference: Vec<f64> = (0..d)
        .map(|j| {
            let worst = points
                .iter()
                .map(|p| p[j])
                .fold(f64::NEG_INFINITY, f64::max);
            let r = (1.1 * worst).max(0.9 * worst);
            if r == 0.0 {
                1e-12
            } else {
                r
            }
        })
        .collect();
    if reference.iter().any(|r| !r.is_finite()) {
        return unique[..size].to_vec();
    }
    let mut candidates = unique;
    let mut selected: Vec<Vec<f64>> = Vec::new();
    let mut chosen = Vec::new();
    let mut hv = 0.0;
    for _ in 0..size {
        let mut best = (0, f64::NEG_INFINITY);
        for (c, &i) in candidates.iter().enumerate() {
            selected.push(points[i].clone());
            let gain = hypervolume(&selected, &reference) - hv;
            selected.pop();
            if gain > best.1 {
                best = (c, gain);
            }
        }
        let i = candidates.remove(best.0);
        hv += best.1;
        selected.push(points[i].clone());
        chosen.push(i);
    }
    chosen
}
