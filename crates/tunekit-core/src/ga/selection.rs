//! Parent selection from the parent population: tournament, linear ranking
//! and roulette (see [`Selection`] for the rules).

use std::collections::VecDeque;

use super::non_dominated_sort::dominance;
use super::objectives::Objectives;
use super::params::Selection;
use super::survival::Ranked;
use crate::random::seed::Stream;
use crate::random::FastRng;

/// Draws parents (positions in `members`).
pub(crate) struct Selector<'a> {
    members: &'a [Ranked],
    obj: &'a Objectives,
    kind: Kind,
}

enum Kind {
    /// Tournament size; the contestants still to use (consecutive entries of
    /// shuffled copies of the population), and the next shuffle's number.
    Tournament {
        size: usize,
        key: u64,
        pending: VecDeque<usize>,
        shuffles: u64,
    },
    /// Cumulative weights, and the position each slot stands for.
    Wheel { cum: Vec<f64>, slots: Vec<usize> },
}

impl<'a> Selector<'a> {
    /// A selector over `members` (tournaments draw their shuffles from `key`).
    pub fn new(members: &'a [Ranked], obj: &'a Objectives, selection: Selection, key: u64) -> Self {
        let n = members.len();
        let kind = match selection {
            Selection::Tournament { size } => Kind::Tournament {
                size: size.clamp(1, n.max(1)),
                key,
                pending: VecDeque::new(),
                shuffles: 0,
            },
            Selection::Rank { pressure } => {
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| members[a].cmp_quality(&members[b]).then(a.cmp(&b)));
                let mut w = vec![0.0; n];
                let step = if n > 1 {
                    (2.0 * pressure - 2.0) / (n - 1) as f64
                } else {
                    0.0
                };
                // members comparing equal share the mean of their weights
                let mut k = 0;
                while k < n {
                    let mut e = k + 1;
                    while e < n && members[order[k]].cmp_quality(&members[order[e]]).is_eq() {
                        e += 1;
                    }
                    let mean =
                        (k..e).map(|i| pressure - step * i as f64).sum::<f64>() / (e - k) as f64;
                    for &p in &order[k..e] {
                        w[p] = mean.max(0.0);
                    }
                    k = e;
                }
                Kind::wheel(w)
            }
            Selection::Roulette => Kind::wheel(roulette_weights(members)),
        };
        Self { members, obj, kind }
    }

    /// Whether member `a` beats member `b` in a tournament: by dominance when
    /// both are feasible with several objectives (as in Deb's NSGA-II code),
    /// otherwise by rank (objective value, violation, front); then by the
    /// larger crowding distance.
    #[inline]
    fn beats(members: &[Ranked], obj: &Objectives, a: usize, b: usize) -> bool {
        let (x, y) = (&members[a], &members[b]);
        if x.feasible && y.feasible && obj.m > 1 {
            return match dominance(obj.row(x.idx), obj.row(y.idx)) {
                Some(d) => d,
                None => x.crowd > y.crowd,
            };
        }
        x.cmp_quality(y).is_lt()
    }

    /// One parent (a position in `members`; the population must not be empty).
    /// Tournaments take their contestants from the shuffled population in
    /// order, so the answer depends only on how many were drawn before;
    /// wheels spin with `rng`.
    pub fn pick(&mut self, rng: &mut FastRng) -> usize {
        let Self { members, obj, kind } = self;
        let n = members.len();
        let (cum, slots) = match kind {
            Kind::Tournament {
                size,
                key,
                pending,
                shuffles,
            } => {
                if n == 0 {
                    return 0;
                }
                while pending.len() < *size {
                    let mut r = FastRng::stream(*key, Stream::Tournament, *shuffles);
                    *shuffles += 1;
                    let start = pending.len();
                    pending.extend(0..n);
                    let perm = pending.make_contiguous();
                    for i in (1..n).rev() {
                        perm.swap(start + i, start + r.below(i + 1));
                    }
                }
                let size = *size;
                let mut best = pending.pop_front().unwrap_or(0);
                for _ in 1..size {
                    let c = pending.pop_front().unwrap_or(best);
                    if Self::beats(members, obj, c, best) {
                        best = c;
                    }
                }
                return best;
            }
            Kind::Wheel { cum, slots } => (cum, slots),
        };
        match cum.last() {
            Some(&total) if total > 0.0 => {
                let r = rng.uniform() * total;
                let k = cum.partition_point(|&c| c <= r).min(slots.len() - 1);
                slots[k]
            }
            _ => rng.below(n),
        }
    }
}

impl Kind {
    /// A wheel over the positive weights (uniform over all if none).
    fn wheel(w: Vec<f64>) -> Kind {
        let mut cum = Vec::with_capacity(w.len());
        let mut slots = Vec::with_capacity(w.len());
        let mut total = 0.0;
        for (p, &x) in w.iter().enumerate() {
            if x > 0.0 {
                total += x;
                cum.push(total);
                slots.push(p);
            }
        }
        Kind::Wheel { cum, slots }
    }
}

/// Windowed fitness-proportional weights from the members' goodness.
fn roulette_weights(members: &[Ranked]) -> Vec<f64> {
    let n = members.len();
    if members.iter().any(|m| m.goodness == f64::INFINITY) {
        return members
            .iter()
            .map(|m| {
                if m.goodness == f64::INFINITY {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
    }
    let finite = members.iter().filter(|m| m.goodness.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| {
        (lo.min(m.goodness), hi.max(m.goodness))
    });
    if lo < hi {
        // halves keep the differences finite whatever the magnitudes
        let span = hi / 2.0 - lo / 2.0;
        members
            .iter()
            .map(|m| {
                if m.goodness.is_finite() {
                    (m.goodness / 2.0 - lo / 2.0) / span
                } else {
                    0.0
                }
            })
            .collect()
    } else {
        // all finite goodness equal: uniform among those, else among the eligible, else all
        let rules: [fn(&Ranked) -> bool; 2] =
            [|m| m.goodness.is_finite(), |m| !m.goodness.is_nan()];
        for keep in rules {
            let w: Vec<f64> = members
                .iter()
                .map(|m| if keep(m) { 1.0 } else { 0.0 })
                .collect();
            if w.iter().any(|&x| x > 0.0) {
                return w;
            }
        }
        vec![1.0; n]
    }
}
