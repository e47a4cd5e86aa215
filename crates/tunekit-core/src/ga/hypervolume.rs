//! Exact hypervolume of a two-objective point set (minimisation).

/// The area dominated by `points` and bounded by `reference` (both objectives
/// minimised): the measure of `{ y : some p ≤ y ≤ reference }`. Points not
/// strictly better than the reference in both objectives add nothing, nor do
/// points with a NaN. O(N log N): the points sorted by the first objective,
/// each adds the slab between its second objective and the best one so far.
pub fn hypervolume_2d(points: &[[f64; 2]], reference: [f64; 2]) -> f64 {
    let mut ps: Vec<[f64; 2]> = points
        .iter()
        .copied()
        .filter(|p| p[0] < reference[0] && p[1] < reference[1])
        .collect();
    ps.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    let mut best = reference[1];
    let mut area = 0.0;
    for p in ps {
        if p[1] < best {
            area += (reference[0] - p[0]) * (best - p[1]);
            best = p[1];
        }
    }
    area
}
