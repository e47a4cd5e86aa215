//! Stratified k-fold cross-validation, identical to scikit-learn's
//! `StratifiedKFold` (its `_make_test_folds`).

use crate::data::Labels;

use super::kfold::{check_n_splits, folds_from_assignment};
use super::split_error::SplitError;
use super::Fold;
use crate::random::NumpyRandomState;

/// scikit-learn's `StratifiedKFold(n_splits, shuffle, random_state)`.
///
/// The algorithm, step by step as scikit-learn runs it:
///
/// 1. classes are renumbered by order of first appearance in `y` (the first
///    label seen becomes class 0, and so on; absent codes play no part);
/// 2. the renumbered labels are sorted and dealt round-robin to the folds:
///    `allocation[f][k]` is how many of positions `f, f + n_splits,
///    f + 2·n_splits, …` of the sorted labels hold class `k`;
/// 3. for each class `k` in that order, the fold numbers
///    `0, …, 0, 1, …, 1, …` (fold `f` repeated `allocation[f][k]` times) are
///    shuffled with one `RandomState(seed)` when `shuffle` is set, then given
///    to the samples of class `k` in index order;
/// 4. test fold `f` is every sample numbered `f`, train the rest, both in
///    increasing index order.
///
/// Errors where scikit-learn only warns: every class present must have at
/// least `n_splits` samples (otherwise some test fold misses a class).
/// `shuffle` without a seed uses
/// [`DEFAULT_SEED`](crate::random::DEFAULT_SEED); a seed without
/// `shuffle` is ignored (scikit-learn raises).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StratifiedKFold {
    pub n_splits: usize,
    pub shuffle: bool,
    pub seed: Option<u32>,
}

impl StratifiedKFold {
    /// `StratifiedKFold(n_splits)` without shuffling (scikit-learn's `cv=n`
    /// for a classifier).
    pub fn new(n_splits: usize) -> Self {
        Self {
            n_splits,
            shuffle: false,
            seed: None,
        }
    }

    /// `StratifiedKFold(n_splits, shuffle=True, random_state=seed)`.
    pub fn shuffled(n_splits: usize, seed: Option<u32>) -> Self {
        Self {
            n_splits,
            shuffle: true,
            seed,
        }
    }

    /// The folds for labels `y`, fold 0 first.
    pub fn split(&self, y: &Labels) -> Result<Vec<Fold>, SplitError> {
        let fold_of = self.test_folds(y)?;
        Ok(folds_from_assignment(&fold_of, self.n_splits))
    }

    /// Each sample's test-fold number (scikit-learn's `test_folds` array).
    pub fn test_folds(&self, y: &Labels) -> Result<Vec<usize>, SplitError> {
        let n_splits = self.n_splits;
        let codes = y.codes();
        check_n_splits(n_splits, codes.len())?;

        // 1. Renumber classes by first appearance.
        let mut encoding: Vec<Option<usize>> = vec![None; y.n_classes()];
        let mut original: Vec<u32> = Vec::new();
        let mut encoded = Vec::with_capacity(codes.len());
        for &c in codes {
            let slot = &mut encoding[c as usize];
            let e = *slot.get_or_insert_with(|| {
                original.push(c);
                original.len() - 1
            });
            encoded.push(e);
        }
        let n_classes = original.len();
        let mut counts = vec![0usize; n_classes];
        for &e in &encoded {
            counts[e] += 1;
        }

        // Stricter than scikit-learn: every present class must fill every fold.
        if let Some((class, count)) = original
            .iter()
            .zip(&counts)
            .map(|(&class, &count)| (class, count))
            .min_by_key(|&(class, count)| (count, class))
        {
            if count < n_splits {
                return Err(SplitError::ClassSmallerThanSplits {
                    n_splits,
                    class,
                    count,
                });
            }
        }

        // 2. Round-robin allocation over the sorted encoded labels: class k
        //    occupies sorted positions start_k .. start_k + counts[k].
        let mut allocation = vec![vec![0usize; n_classes]; n_splits];
        let mut start = 0;
        for (k, &count) in counts.iter().enumerate() {
            for pos in start..start + count {
                allocation[pos % n_splits][k] += 1;
            }
            start += count;
        }

        // 3. Per class, fold numbers repeated by allocation, maybe shuffled.
        let mut rng = self.shuffle.then(|| NumpyRandomState::from_seed(self.seed));
        let mut per_class: Vec<std::vec::IntoIter<usize>> = Vec::with_capacity(n_classes);
        for k in 0..n_classes {
            let mut folds_for_class = Vec::with_capacity(counts[k]);
            for (f, row) in allocation.iter().enumerate() {
                folds_for_class.extend(std::iter::repeat_n(f, row[k]));
            }
            if let Some(rng) = rng.as_mut() {
                rng.shuffle(&mut folds_for_class);
            }
            per_class.push(folds_for_class.into_iter());
        }
        let mut fold_of = Vec::with_capacity(encoded.len());
        for &e in &encoded {
            // Each class's iterator holds exactly counts[e] fold numbers.
            fold_of.push(per_class[e].next().unwrap_or(0));
        }
        Ok(fold_of)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn smallest_class_error_names_class_and_count() {
        let y = Labels::new(vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2], 3).unwrap();
        let err = StratifiedKFold::new(5).split(&y).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cv=5 is larger than the smallest class (class 2 has 3 samples)"
        );
    }

    #[test]
    fn absent_codes_are_ignored() {
        let y = Labels::new(vec![3, 3, 1, 1, 3, 1], 5).unwrap();
        let folds = StratifiedKFold::new(3).split(&y).unwrap();
        for f in &folds {
            assert_eq!(f.test.len(), 2);
        }
    }
}
