//! Crowding distance (Deb, Pratap, Agarwal & Meyarivan 2002).

use super::error::GaError;
use super::objectives::Objectives;

/// Crowding distances of the points `front` of `obj`, written to `out`
/// (`out[k]` for `front[k]`).
///
/// Per objective, the points sorted by value: the two extremes get +∞, each
/// inner point the gap between its neighbours divided by the objective's range
/// over the front; distances add up over objectives. Conventions:
/// - an objective constant over the front adds nothing (not even +∞ at the ends);
/// - infinite values are clamped to the finite range for the gaps (the points
///   holding them are extremes anyway) and the range is the finite one;
/// - NaN values are skipped for that objective;
/// - duplicates (identical objective vectors) count once: the first copy gets
///   the distance computed on the distinct points, the others 0, so that
///   truncation drops copies first (as pymoo does);
/// - fronts of at most two distinct points: all distinct points get +∞.
pub(crate) fn crowding_into(obj: &Objectives, front: &[usize], out: &mut [f64]) {
    let m = obj.m;
    out.iter_mut().for_each(|d| *d = 0.0);
    // positions in `front`, sorted lexicographically to find duplicates
    let mut order: Vec<usize> = (0..front.len()).collect();
    let lex = |a: &usize, b: &usize| {
        let (ra, rb) = (obj.row(front[*a]), obj.row(front[*b]));
        for k in 0..m {
            match ra[k].total_cmp(&rb[k]) {
                std::cmp::Ordering::Equal => {}
                o => return o,
            }
        }
        a.cmp(b)
    };
    order.sort_unstable_by(lex);
    let mut unique: Vec<usize> = Vec::with_capacity(front.len());
    for (k, &p) in order.iter().enumerate() {
        let dup = k > 0 && {
            let (ra, rb) = (obj.row(front[order[k - 1]]), obj.row(front[p]));
            ra.iter().zip(rb).all(|(x, y)| x.total_cmp(y).is_eq())
        };
        if !dup {
            unique.push(p);
        }
    }
    if unique.len() <= 2 {
        for &p in &unique {
            out[p] = f64::INFINITY;
        }
        return;
    }
    let mut sorted: Vec<usize> = Vec::with_capacity(unique.len());
    for k in 0..m {
        let val = |p: usize| obj.row(front[p])[k];
        sorted.clear();
        sorted.extend(unique.iter().copied().filter(|&p| !val(p).is_nan()));
        if sorted.len() < 2 {
            continue;
        }
        sorted.sort_unstable_by(|&a, &b| val(a).total_cmp(&val(b)).then(a.cmp(&b)));
        let (first, last) = (sorted[0], sorted[sorted.len() - 1]);
        if val(first) >= val(last) {
            continue;
        }
        out[first] = f64::INFINITY;
        out[last] = f64::INFINITY;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &p in &sorted {
            let v = val(p);
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        let range = hi - lo;
        if !(range > 0.0 && range.is_finite()) {
            continue;
        }
        for w in sorted.windows(3) {
            let gap = val(w[2]).clamp(lo, hi) - val(w[0]).clamp(lo, hi);
            out[w[1]] += gap / range;
        }
    }
}

/// Crowding distances of the points of one front (one row per point, one
/// column per objective; directions do not matter). See the conventions in
/// the module's source: extremes +∞, gaps normalised by each objective's
/// range, constant objectives add nothing, infinities clamped to the finite
/// range, NaN skipped, duplicates after the first get 0.
pub fn crowding_distance<V: AsRef<[f64]>>(values: &[V]) -> Result<Vec<f64>, GaError> {
    let m = values.first().map_or(0, |r| r.as_ref().len());
    let dirs = vec![super::individual::Direction::Minimize; m];
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let obj = Objectives::new(values.iter(), &dirs)?;
    let front: Vec<usize> = (0..values.len()).collect();
    let mut out = vec![0.0; front.len()];
    crowding_into(&obj, &front, &mut out);
    Ok(out)
}
