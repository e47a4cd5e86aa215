//! A diversity measure of a set of points, for a study's history.

use crate::space::{Domain, Space};

use super::error::GaError;

/// The root-mean-square pairwise distance of `points` (value form) in the
/// encoded unit cube, normalised to [0, 1]: per gene, the encoded difference
/// (log scale in log space) for numerical parameters and 0/1 (different or
/// not) for categorical ones; the squared distance of two points is the mean
/// over genes of the squared differences, and the measure is the square root
/// of its mean over all pairs. 0 for fewer than two points or identical
/// points. O(N·d): the mean squared difference over pairs is `2N/(N−1)` times
/// the variance of a numerical gene, and `N/(N−1)` times `1 − Σ p²` (the
/// categories' frequencies `p`) for a categorical one.
pub fn diversity<V: AsRef<[f64]>>(points: &[V], space: &Space) -> Result<f64, GaError> {
    super::genome::check_space(space)?;
    let d = space.len();
    let mut enc = Vec::with_capacity(points.len() * d);
    for (index, p) in points.iter().enumerate() {
        let p = p.as_ref();
        space
            .check_point(p)
            .map_err(|source| GaError::InvalidPoint { index, source })?;
        enc.extend(
            space
                .params()
                .iter()
                .zip(p)
                .map(|(q, &v)| q.domain.encode(v)),
        );
    }
    Ok(spread(&enc, points.len(), space))
}

/// [`diversity`] of `n` points already encoded (row-major, categories as indices).
pub(crate) fn spread(enc: &[f64], n: usize, space: &Space) -> f64 {
    let d = space.len();
    if n < 2 || d == 0 {
        return 0.0;
    }
    let nf = n as f64;
    let rows = || enc.chunks_exact(d).take(n);
    // numerical genes: the column variances, in two row-major passes
    let mut mean = vec![0.0; d];
    for row in rows() {
        mean.iter_mut().zip(row).for_each(|(s, &u)| *s += u);
    }
    mean.iter_mut().for_each(|s| *s /= nf);
    let mut var = vec![0.0; d];
    for row in rows() {
        var.iter_mut()
            .zip(row)
            .zip(&mean)
            .for_each(|((s, &u), &m)| *s += (u - m) * (u - m));
    }
    let mut total = 0.0;
    for (g, param) in space.params().iter().enumerate() {
        let pair_mean_sq = if let Domain::Categorical { .. } = param.domain {
            let mut counts: std::collections::HashMap<u64, usize> =
                std::collections::HashMap::new();
            for row in rows() {
                *counts.entry(row[g].to_bits()).or_insert(0) += 1;
            }
            let sum_p2: f64 = counts.values().map(|&c| (c as f64 / nf).powi(2)).sum();
            nf / (nf - 1.0) * (1.0 - sum_p2)
        } else {
            2.0 * nf / (nf - 1.0) * (var[g] / nf)
        };
        total += pair_mean_sq.max(0.0);
    }
    (total / d as f64).sqrt()
}
