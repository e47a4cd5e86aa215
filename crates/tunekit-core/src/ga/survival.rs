//! Environmental selection: which evaluated individuals form the parent
//! population, and how they compare.
//!
//! Constraints follow Deb's feasibility rules (Deb 2000): a feasible
//! individual beats an infeasible one, and of two infeasible ones the one with
//! the lower total violation wins. Failed evaluations (a NaN objective) come
//! after everything else, ordered by violation.
//!
//! - One objective: the `elitism` best individuals of the pool, plus the most
//!   recent `population_size − elitism` others (the pool is in evaluation
//!   order, so with one call per generation this is the last generation:
//!   a generational GA with elitism).
//! - Several objectives (NSGA-II): fronts of the pool by constrained
//!   non-domination (feasible ones by non-dominated sorting; infeasible ones
//!   after them, one front per violation level), filled in order; the front
//!   that does not fit is cut by crowding distance (largest first, ties by
//!   index).

use std::cmp::Ordering;

use super::crowding::crowding_into;
use super::non_dominated_sort::peel_fronts;
use super::objectives::Objectives;
use super::pool::Pool;

/// A member of the parent population and its standing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    /// Index into the pool.
    pub idx: usize,
    /// Lower is better: the front (several objectives) or the dense rank (one).
    pub rank: u32,
    /// Higher is better among equal ranks (crowding distance; 0 for one objective).
    pub crowd: f64,
    /// For the roulette: higher is better, NaN = not eligible.
    pub goodness: f64,
    /// Feasible, with numbers for every objective (compared by dominance in tournaments).
    pub feasible: bool,
}

impl Ranked {
    /// The crowded comparison: `Less` when `self` is better.
    #[inline]
    pub fn cmp_quality(&self, other: &Ranked) -> Ordering {
        self.rank
            .cmp(&other.rank)
            .then_with(|| other.crowd.total_cmp(&self.crowd))
    }
}

/// Feasibility class: 0 feasible with numbers, 1 infeasible with numbers, 2 failed.
#[inline]
fn class<P: Pool + ?Sized>(obj: &Objectives, pool: &P, i: usize) -> u8 {
    if obj.has_nan[i] {
        2
    } else if pool.violation(i) > 0.0 {
        1
    } else {
        0
    }
}

/// One objective: (class, key), key = value (minimisation form) or violation.
fn single_key<P: Pool + ?Sized>(obj: &Objectives, pool: &P, i: usize) -> (u8, f64) {
    match class(obj, pool, i) {
        0 => (0, obj.data[i]),
        c => (c, pool.violation(i) + 0.0),
    }
}

fn cmp_single(a: (u8, f64), b: (u8, f64)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.total_cmp(&b.1))
}

/// The parent population drawn from `pool` (see the module doc), with ranks.
/// Members are returned in ascending pool order.
pub(crate) fn select_population<P: Pool + ?Sized>(
    obj: &Objectives,
    pool: &P,
    size: usize,
    elitism: usize,
) -> Vec<Ranked> {
    if obj.m == 1 {
        select_single(obj, pool, size, elitism)
    } else {
        select_nsga2(obj, pool, size)
    }
}

fn select_single<P: Pool + ?Sized>(
    obj: &Objectives,
    pool: &P,
    size: usize,
    elitism: usize,
) -> Vec<Ranked> {
    let n = pool.len();
    let keys: Vec<(u8, f64)> = (0..n).map(|i| single_key(obj, pool, i)).collect();
    let by_key = |a: &usize, b: &usize| cmp_single(keys[*a], keys[*b]).then(a.cmp(b));
    let mut members: Vec<usize> = if n <= size {
        (0..n).collect()
    } else {
        let mut chosen = vec![false; n];
        if elitism > 0 {
            let mut all: Vec<usize> = (0..n).collect();
            all.select_nth_unstable_by(elitism - 1, by_key);
            for &i in &all[..elitism] {
                chosen[i] = true;
            }
        }
        let mut need = size - elitism;
        for i in (0..n).rev() {
            if need == 0 {
                break;
            }
            if !chosen[i] {
                chosen[i] = true;
                need -= 1;
            }
        }
        (0..n).filter(|&i| chosen[i]).collect()
    };
    // dense ranks by key
    let mut order = members.clone();
    order.sort_unstable_by(by_key);
    let mut rank_of = vec![0u32; n];
    let mut r = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && cmp_single(keys[order[k - 1]], keys[i]) != Ordering::Equal {
            r += 1;
        }
        rank_of[i] = r;
    }
    let any_feasible = members.iter().any(|&i| keys[i].0 == 0);
    let any_infeasible = members.iter().any(|&i| keys[i].0 == 1);
    members.sort_unstable();
    members
        .into_iter()
        .map(|i| {
            let (c, key) = keys[i];
            let goodness = match c {
                0 => -key,
                1 if !any_feasible => -key,
                2 if !any_feasible && !any_infeasible => 0.0,
                _ => f64::NAN,
            };
            Ranked {
                idx: i,
                rank: rank_of[i],
                crowd: 0.0,
                goodness,
                feasible: c == 0,
            }
        })
        .collect()
}

fn select_nsga2<P: Pool + ?Sized>(obj: &Objectives, pool: &P, size: usize) -> Vec<Ranked> {
    let n = pool.len();
    let feasible: Vec<usize> = (0..n).filter(|&i| class(obj, pool, i) == 0).collect();
    let mut fronts = peel_fronts(obj, feasible, size);
    let feasible_fronts = fronts.len();
    let mut sorted: usize = fronts.iter().map(Vec::len).sum();
    let mut nan_from = usize::MAX;
    // infeasible, then failed: one front per violation level
    for c in [1u8, 2] {
        if sorted >= size {
            break;
        }
        if c == 2 {
            nan_from = fronts.len();
        }
        let mut rest: Vec<usize> = (0..n).filter(|&i| class(obj, pool, i) == c).collect();
        rest.sort_by(|&a, &b| {
            pool.violation(a)
                .total_cmp(&pool.violation(b))
                .then(a.cmp(&b))
        });
        let mut k = 0;
        while k < rest.len() && sorted < size {
            let v = pool.violation(rest[k]);
            let mut e = k;
            while e < rest.len() && pool.violation(rest[e]) == v {
                e += 1;
            }
            let mut front = rest[k..e].to_vec();
            front.sort_unstable();
            sorted += front.len();
            fronts.push(front);
            k = e;
        }
    }
    let mut members = Vec::with_capacity(size.min(n));
    let mut crowd = Vec::new();
    for (r, front) in fronts.iter().enumerate() {
        if members.len() >= size {
            break;
        }
        crowd.clear();
        crowd.resize(front.len(), 0.0);
        if r < nan_from {
            crowding_into(obj, front, &mut crowd);
        }
        let room = size - members.len();
        let mut take: Vec<usize> = (0..front.len()).collect();
        if front.len() > room {
            take.sort_by(|&a, &b| crowd[b].total_cmp(&crowd[a]).then(a.cmp(&b)));
            take.truncate(room);
            take.sort_unstable();
        }
        members.extend(take.into_iter().map(|k| Ranked {
            idx: front[k],
            rank: r as u32,
            crowd: crowd[k],
            goodness: -(r as f64),
            feasible: r < feasible_fronts,
        }));
    }
    members.sort_unstable_by_key(|m| m.idx);
    members
}
