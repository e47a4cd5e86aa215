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
    let n = points.len();
    if n < 2 {
        return Ok(0.0);
    }
    let nf = n as f64;
    let mut total = 0.0;
    for (g, param) in space.params().iter().enumerate() {
        let column = enc.iter().skip(g).step_by(d).copied();
        let pair_mean_sq = if let Domain::Categorical { .. } = param.domain {
            let mut counts: std::collections::HashMap<u64, usize> =
                std::collections::HashMap::new();
            for v in column {
                *counts.entry(v.to_bits()).or_insert(0) += 1;
            }
            let sum_p2: f64 = counts.values().map(|&c| (c as f64 / nf).powi(2)).sum();
            nf / (nf - 1.0) * (1.0 - sum_p2)
        } else {
            let mean = column.clone().sum::<f64>() / nf;
            let var = column.map(|v| (v - mean) * (v - mean)).sum::<f64>() / nf;
            2.0 * nf / (nf - 1.0) * var
        };
        total += pair_mean_sq.max(0.0);
    }
    Ok((total / d as f64).sqrt())
}
