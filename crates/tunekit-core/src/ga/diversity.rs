//! A diversity measure of a set of points, for a study's history.

use crate::space::{Domain, Space};

use super::error::GaError;

/// The mean pairwise distance of `points` (value form) in the encoded unit
/// cube, normalised to [0, 1]: per gene, the encoded difference (log scale in
/// log space) for numerical parameters and 0/1 (different or not) for
/// categorical ones; the distance of two points is the root mean square of
/// those. 0 for fewer than two points or identical points. O(N²·d).
pub fn diversity<V: AsRef<[f64]>>(points: &[V], space: &Space) -> Result<f64, GaError> {
    super::genome::check_space(space)?;
    let d = space.len();
    let mut enc = Vec::with_capacity(points.len() * d);
    for (index, p) in points.iter().enumerate() {
        let p = p.as_ref();
        space
            .check_point(p)
            .map_err(|source| GaError::InvalidPoint { index, source })?;
        enc.extend(space.encode(p));
    }
    let n = points.len();
    if n < 2 {
        return Ok(0.0);
    }
    let cat: Vec<bool> = space
        .params()
        .iter()
        .map(|p| matches!(p.domain, Domain::Categorical { .. }))
        .collect();
    let mut total = 0.0;
    for i in 0..n {
        let a = &enc[i * d..(i + 1) * d];
        for j in i + 1..n {
            let b = &enc[j * d..(j + 1) * d];
            let mut s = 0.0;
            for g in 0..d {
                let diff = if cat[g] {
                    f64::from(u8::from(a[g] != b[g]))
                } else {
                    a[g] - b[g]
                };
                s += diff * diff;
            }
            total += (s / d as f64).sqrt();
        }
    }
    Ok(total / (n * (n - 1) / 2) as f64)
}
