//! Parent selection from the parent population: tournament, linear ranking
//! and roulette (see [`Selection`] for the rules).

use super::params::Selection;
use super::rng::GaRng;
use super::survival::Ranked;

/// Draws parents (positions in `members`).
pub(crate) struct Selector<'a> {
    members: &'a [Ranked],
    kind: Kind,
}

enum Kind {
    Tournament(usize),
    /// Cumulative weights, and the position each slot stands for.
    Wheel { cum: Vec<f64>, slots: Vec<usize> },
}

impl<'a> Selector<'a> {
    pub fn new(members: &'a [Ranked], selection: Selection) -> Self {
        let n = members.len();
        let kind = match selection {
            Selection::Tournament { size } => Kind::Tournament(size.clamp(1, n.max(1))),
            Selection::Rank { pressure } => {
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| members[a].cmp_quality(&members[b]).then(a.cmp(&b)));
                let mut w = vec![0.0; n];
                let step = if n > 1 { (2.0 * pressure - 2.0) / (n - 1) as f64 } else { 0.0 };
                // members comparing equal share the mean of their weights
                let mut k = 0;
                while k < n {
                    let mut e = k + 1;
                    while e < n && members[order[k]].cmp_quality(&members[order[e]]).is_eq() {
                        e += 1;
                    }
                    let mean = (k..e).map(|i| pressure - step * i as f64).sum::<f64>() / (e - k) as f64;
                    for &p in &order[k..e] {
                        w[p] = mean.max(0.0);
                    }
                    k = e;
                }
                Kind::wheel(w)
            }
            Selection::Roulette => Kind::wheel(roulette_weights(members)),
        };
        Self { members, kind }
    }

    /// One parent (a position in `members`; the population must not be empty).
    pub fn pick(&self, rng: &mut GaRng) -> usize {
        let n = self.members.len();
        match &self.kind {
            Kind::Tournament(k) => {
                let mut drawn = [0usize; 8];
                let mut extra: Vec<usize> = Vec::new();
                let mut best = rng.below(n);
                let mut count = 1;
                drawn[0] = best;
                while count < *k {
                    let c = rng.below(n);
                    let seen = drawn[..count.min(8)].contains(&c) || extra.contains(&c);
                    if seen {
                        continue;
                    }
                    if count < 8 {
                        drawn[count] = c;
                    } else {
                        extra.push(c);
                    }
                    count += 1;
                    if self.members[c].cmp_quality(&self.members[best]).is_lt() {
                        best = c;
                    }
                }
                best
            }
            Kind::Wheel { cum, slots } => match cum.last() {
                Some(&total) if total > 0.0 => {
                    let r = rng.uniform() * total;
                    let k = cum.partition_point(|&c| c <= r).min(slots.len() - 1);
                    slots[k]
                }
                _ => rng.below(n),
            },
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
        return members.iter().map(|m| if m.goodness == f64::INFINITY { 1.0 } else { 0.0 }).collect();
    }
    let finite = members.iter().filter(|m| m.goodness.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), m| (lo.min(m.goodness), hi.max(m.goodness)));
    if lo < hi {
        // halves keep the differences finite whatever the magnitudes
        let span = hi / 2.0 - lo / 2.0;
        members.iter().map(|m| if m.goodness.is_finite() { (m.goodness / 2.0 - lo / 2.0) / span } else { 0.0 }).collect()
    } else {
        // all finite goodness equal: uniform among those, else among the eligible, else all
        let rules: [fn(&Ranked) -> bool; 2] = [|m| m.goodness.is_finite(), |m| !m.goodness.is_nan()];
        for keep in rules {
            let w: Vec<f64> = members.iter().map(|m| if keep(m) { 1.0 } else { 0.0 }).collect();
            if w.iter().any(|&x| x > 0.0) {
                return w;
            }
        }
        vec![1.0; n]
    }
}
