//! K-fold cross-validation, identical to scikit-learn's `KFold`.

use super::split_error::SplitError;
use super::Fold;
use crate::random::NumpyRandomState;

/// scikit-learn's `KFold(n_splits, shuffle, random_state)`.
///
/// The samples `0..n` (shuffled first by `RandomState(seed).shuffle` when
/// `shuffle` is set) are cut into `n_splits` consecutive blocks, the first
/// `n % n_splits` one sample larger. Each block is one fold's test set; as in
/// scikit-learn both the test and the train indices of a fold come in
/// increasing order.
///
/// `shuffle` without a seed uses [`DEFAULT_SEED`](crate::random::DEFAULT_SEED)
/// (scikit-learn would use the global numpy state): folds are reproducible by
/// default. A seed without `shuffle` is ignored (scikit-learn raises).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KFold {
    pub n_splits: usize,
    pub shuffle: bool,
    pub seed: Option<u32>,
}

impl KFold {
    /// `KFold(n_splits)` without shuffling.
    pub fn new(n_splits: usize) -> Self {
        Self {
            n_splits,
            shuffle: false,
            seed: None,
        }
    }

    /// `KFold(n_splits, shuffle=True, random_state=seed)`.
    pub fn shuffled(n_splits: usize, seed: Option<u32>) -> Self {
        Self {
            n_splits,
            shuffle: true,
            seed,
        }
    }

    /// The folds of `n_samples` samples, fold 0 first.
    pub fn split(&self, n_samples: usize) -> Result<Vec<Fold>, SplitError> {
        check_n_splits(self.n_splits, n_samples)?;
        let mut indices: Vec<usize> = (0..n_samples).collect();
        if self.shuffle {
            NumpyRandomState::from_seed(self.seed).shuffle(&mut indices);
        }
        let k = self.n_splits;
        let mut fold_of = vec![0usize; n_samples];
        let mut start = 0;
        for fold in 0..k {
            let size = n_samples / k + usize::from(fold < n_samples % k);
            for &i in &indices[start..start + size] {
                fold_of[i] = fold;
            }
            start += size;
        }
        Ok(folds_from_assignment(&fold_of, k))
    }
}

/// The checks scikit-learn's `_BaseKFold` makes: at least 2 splits, and no
/// more splits than samples.
pub(crate) fn check_n_splits(n_splits: usize, n_samples: usize) -> Result<(), SplitError> {
    if n_splits < 2 {
        return Err(SplitError::TooFewSplits { n_splits });
    }
    if n_splits > n_samples {
        return Err(SplitError::MoreSplitsThanSamples {
            n_splits,
            n_samples,
        });
    }
    Ok(())
}

/// Folds from each sample's test-fold number (`fold_of[i] < n_splits`): test
/// fold `k` holds the samples assigned to `k`, train the others, both in
/// increasing index order.
pub(crate) fn folds_from_assignment(fold_of: &[usize], n_splits: usize) -> Vec<Fold> {
    (0..n_splits)
        .map(|k| {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..fold_of.len()).partition(|&i| fold_of[i] == k);
            Fold { train, test }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn unshuffled_blocks_first_folds_larger() {
        let folds = KFold::new(3).split(7).unwrap();
        let tests: Vec<Vec<usize>> = folds.iter().map(|f| f.test.clone()).collect();
        assert_eq!(tests, vec![vec![0, 1, 2], vec![3, 4], vec![5, 6]]);
        assert_eq!(folds[1].train, vec![0, 1, 2, 5, 6]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            KFold::new(1).split(5),
            Err(SplitError::TooFewSplits { n_splits: 1 })
        );
        assert_eq!(
            KFold::new(6).split(5),
            Err(SplitError::MoreSplitsThanSamples {
                n_splits: 6,
                n_samples: 5
            })
        );
    }
}
