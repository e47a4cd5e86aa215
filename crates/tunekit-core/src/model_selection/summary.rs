//! The per-candidate summary of scikit-learn's `cv_results_`: the mean and
//! population standard deviation of each candidate's fold values, and the rank
//! of the mean test scores (`scipy.stats.rankdata(-means, method='min')`,
//! with NaN means ranked after every number, as `BaseSearchCV._store` does).
//!
//! The one owner of the ranking rule: the native refit's choice
//! ([`best_index`], through `search::best_config`) and the façade's
//! `rankTestScore` / `bestIndex` both come from here.

use thiserror::Error;

/// Errors of [`summarize`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SummaryError {
    #[error("rows of 0 values cannot be summarised")]
    NoWidth,
    #[error("{len} values are not a whole number of rows of {width}")]
    Ragged { len: usize, width: usize },
}

/// Mean, standard deviation and rank of each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    /// 1 for the highest mean; ties share the smallest rank
    pub rank: Vec<u32>,
}

/// The mean of `row`, summed in order (NaN for an empty row).
pub fn mean(row: &[f64]) -> f64 {
    let mut sum = 0.0;
    for &v in row {
        sum += v;
    }
    sum / row.len() as f64
}

/// The population standard deviation (NumPy's `std`, `ddof=0`): the square
/// root of the mean squared distance to the mean.
pub fn std(row: &[f64]) -> f64 {
    let m = mean(row);
    let mut sum = 0.0;
    for &v in row {
        let d = (v - m).abs();
        sum += d * d;
    }
    (sum / row.len() as f64).sqrt()
}

/// Ranks of `means`, highest first, ties sharing the smallest rank; NaN means
/// rank after every number (all NaN: every rank is 1).
pub fn rank_min(means: &[f64]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..means.len()).collect();
    // descending; NaN last (scikit-learn replaces it by the smallest mean − 1)
    order.sort_by(|&a, &b| match (means[a].is_nan(), means[b].is_nan()) {
        (false, false) => means[b].total_cmp(&means[a]),
        (nan_a, nan_b) => nan_a.cmp(&nan_b),
    });
    let mut rank = vec![0u32; means.len()];
    let mut group_rank = 1u32;
    for (pos, &i) in order.iter().enumerate() {
        if pos > 0 {
            let prev = means[order[pos - 1]];
            let cur = means[i];
            // a new group when strictly below the previous value (−0 ties +0)
            let tied = cur == prev || (cur.is_nan() && prev.is_nan());
            if !tied {
                group_rank = pos as u32 + 1;
            }
        }
        rank[i] = group_rank;
    }
    rank
}

/// The first index of rank 1 (what `rank_test_score == 1` picks first);
/// `None` when `means` is empty.
pub fn best_index(means: &[f64]) -> Option<usize> {
    rank_min(means).iter().position(|&r| r == 1)
}

/// [`mean`], [`std`] and [`rank_min`] of each row of `values` (row-major,
/// rows of `width`).
pub fn summarize(values: &[f64], width: usize) -> Result<Summary, SummaryError> {
    if width == 0 {
        return Err(SummaryError::NoWidth);
    }
    if !values.len().is_multiple_of(width) {
        return Err(SummaryError::Ragged {
            len: values.len(),
            width,
        });
    }
    let mean: Vec<f64> = values.chunks(width).map(mean).collect();
    let std = values.chunks(width).map(std).collect();
    let rank = rank_min(&mean);
    Ok(Summary { mean, std, rank })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The quadratic definition the façade used: 1 + the number of strictly larger means.
    fn rank_by_count(means: &[f64]) -> Vec<u32> {
        means
            .iter()
            .map(|&s| 1 + means.iter().filter(|&&t| t > s).count() as u32)
            .collect()
    }

    #[test]
    fn ranks_ties_share_the_smallest_rank() {
        let means = [0.9, 0.95, 0.9, 0.97, 0.95, -0.0, 0.0];
        assert_eq!(rank_min(&means), vec![4, 2, 4, 1, 2, 6, 6]);
        assert_eq!(rank_min(&means), rank_by_count(&means));
        assert_eq!(best_index(&means), Some(3));
        assert_eq!(best_index(&[0.5, 0.7, 0.7]), Some(1));
        assert_eq!(best_index(&[]), None);
    }

    #[test]
    fn ranks_match_the_count_definition_on_many_ties() {
        // values on a coarse grid, so ties are frequent
        let means: Vec<f64> = (0..200u32)
            .map(|i| f64::from((i * 37) % 11) / 10.0)
            .collect();
        assert_eq!(rank_min(&means), rank_by_count(&means));
    }

    #[test]
    fn nan_means_rank_last() {
        assert_eq!(rank_min(&[f64::NAN, 0.5, 0.7, f64::NAN]), vec![3, 2, 1, 3]);
        assert_eq!(rank_min(&[f64::NAN, f64::NAN]), vec![1, 1]);
        assert_eq!(best_index(&[f64::NAN, 0.5]), Some(1));
    }

    #[test]
    fn summarizes_rows() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0, 4.0, 4.0], 3).unwrap();
        assert_eq!(s.mean, vec![2.0, 4.0]);
        assert!((s.std[0] - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(s.std[1], 0.0);
        assert_eq!(s.rank, vec![2, 1]);
        assert_eq!(
            summarize(&[1.0; 5], 2),
            Err(SummaryError::Ragged { len: 5, width: 2 })
        );
        assert_eq!(summarize(&[], 0), Err(SummaryError::NoWidth));
        assert_eq!(summarize(&[], 3).unwrap().rank, Vec::<u32>::new());
    }
}
