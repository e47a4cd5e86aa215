//! Non-dominated sorting (Deb, Pratap, Agarwal & Meyarivan 2002) and the
//! Pareto front.
//!
//! Fronts are peeled one at a time: each front is found by inserting the
//! remaining points into a running non-dominated list (a point dominated by a
//! list member is rejected; members it dominates are dropped). That costs
//! O(M·N·|front|) per front, O(M·N²) at worst like Deb's fast non-dominated
//! sort, and much less when only the first fronts are wanted (environmental
//! selection stops once the population is full).

use super::error::GaError;
use super::individual::Direction;
use super::objectives::Objectives;

/// Whether `a` dominates `b` (minimisation form, no NaN): `Some(true)` if `a`
/// dominates, `Some(false)` if `b` dominates, `None` otherwise.
#[inline]
pub(crate) fn dominance(a: &[f64], b: &[f64]) -> Option<bool> {
    let (mut a_better, mut b_better) = (false, false);
    for (x, y) in a.iter().zip(b) {
        if x < y {
            a_better = true;
        } else if y < x {
            b_better = true;
        }
        if a_better && b_better {
            return None;
        }
    }
    match (a_better, b_better) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Peels fronts off `rows` (ascending indices of NaN-free rows) until at least
/// `want` rows are sorted or none remain. Each front is in ascending order.
pub(crate) fn peel_fronts(obj: &Objectives, rows: Vec<usize>, want: usize) -> Vec<Vec<usize>> {
    let mut fronts = Vec::new();
    let mut remaining = rows;
    let mut mark = vec![false; obj.len()];
    let mut sorted = 0;
    while !remaining.is_empty() && sorted < want {
        let mut front: Vec<usize> = Vec::new();
        for &p in &remaining {
            let rp = obj.row(p);
            let mut dominated = false;
            let mut i = 0;
            while i < front.len() {
                match dominance(rp, obj.row(front[i])) {
                    Some(false) => {
                        dominated = true;
                        break;
                    }
                    // p dominates a member: drop it (it belongs to a later front)
                    Some(true) => {
                        front.swap_remove(i);
                    }
                    None => i += 1,
                }
            }
            if !dominated {
                front.push(p);
            }
        }
        front.sort_unstable();
        for &p in &front {
            mark[p] = true;
        }
        remaining.retain(|&p| !mark[p]);
        sorted += front.len();
        fronts.push(front);
    }
    fronts
}

/// The non-dominated fronts of `values` (one row per point, one column per
/// objective, each objective minimised or maximised as `directions` says):
/// front 0 is the Pareto front, front k+1 the front of what is left, each in
/// ascending index order. Rows holding a NaN rank last: they form one final
/// front together. ±∞ compare as numbers (−∞ is the best possible value of a
/// minimised objective).
pub fn non_dominated_sort<V: AsRef<[f64]>>(
    values: &[V],
    directions: &[Direction],
) -> Result<Vec<Vec<usize>>, GaError> {
    let obj = Objectives::new(values.iter(), directions)?;
    let rows: Vec<usize> = (0..obj.len()).filter(|&i| !obj.has_nan[i]).collect();
    let mut fronts = peel_fronts(&obj, rows, usize::MAX);
    let nan: Vec<usize> = (0..obj.len()).filter(|&i| obj.has_nan[i]).collect();
    if !nan.is_empty() {
        fronts.push(nan);
    }
    Ok(fronts)
}

/// The indices of the non-dominated points of `values` (rows with a NaN are
/// never on the front), in ascending order.
pub fn pareto_front<V: AsRef<[f64]>>(
    values: &[V],
    directions: &[Direction],
) -> Result<Vec<usize>, GaError> {
    let obj = Objectives::new(values.iter(), directions)?;
    let rows: Vec<usize> = (0..obj.len()).filter(|&i| !obj.has_nan[i]).collect();
    Ok(peel_fronts(&obj, rows, 1)
        .into_iter()
        .next()
        .unwrap_or_default())
}
