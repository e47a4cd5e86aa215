//! One shuffled train/test split, identical to scikit-learn's
//! `train_test_split(..., shuffle=True)`: `ShuffleSplit`, or
//! `StratifiedShuffleSplit` when stratifying.

use crate::data::Labels;

use super::split_error::{SplitError, SplitSize};
use crate::random::NumpyRandomState;

/// scikit-learn's `test_size` when none is given and `train_size` is not
/// either: a quarter of the samples (`train_test_split`'s default).
pub const DEFAULT_TEST_SIZE: SplitSize = SplitSize::Fraction(0.25);

/// Row indices `(train, test)` of one random split of `n_samples` samples,
/// in scikit-learn's order (the random order of the permutation, not sorted).
///
/// Sizes follow scikit-learn's `_validate_shuffle_split` (see
/// [`split_sizes`]): a fraction must lie in (0, 1) and a count in
/// `1..n_samples`; `n_test = ceil(test_size·n)` for a fraction,
/// `n_train = floor(train_size·n)` for a fraction or `n - n_test` when
/// `train_size` is `None`; `test_size: None` is [`DEFAULT_TEST_SIZE`], or
/// `n - n_train` when `train_size` is given; two fractions may not add up to
/// more than 1, the two sizes not to more than `n_samples`, and the train set
/// may not be empty.
///
/// Without `stratify` (scikit-learn's `ShuffleSplit`): `p =
/// RandomState(seed).permutation(n)`, test = `p[..n_test]`, train =
/// `p[n_test..n_test + n_train]`.
///
/// With `stratify` (scikit-learn's `StratifiedShuffleSplit`, one split):
/// the classes present, in increasing code order, each need at least 2
/// samples and both sets at least one sample per class. Per-class train
/// counts `n_i` and test counts `t_i` come from scikit-learn's
/// `_approximate_mode` (see [`approximate_mode`]), first for the class
/// counts and `n_train`, then for the remaining counts and `n_test`; then for
/// each class in order its indices (increasing) are permuted with
/// `permutation(count)`, the first `n_i` go to train and the next `t_i` to
/// test; finally train and test are each shuffled. All draws come from one
/// `RandomState(seed)`.
///
/// `seed: None` uses [`DEFAULT_SEED`](crate::random::DEFAULT_SEED)
/// (scikit-learn would use the global numpy state).
pub fn train_test_split(
    n_samples: usize,
    test_size: impl Into<Option<SplitSize>>,
    train_size: Option<SplitSize>,
    seed: Option<u32>,
    stratify: Option<&Labels>,
) -> Result<(Vec<usize>, Vec<usize>), SplitError> {
    let (n_train, n_test) = split_sizes(n_samples, test_size.into(), train_size)?;
    let mut rng = NumpyRandomState::from_seed(seed);
    match stratify {
        None => {
            let perm = rng.permutation(n_samples);
            let test = perm[..n_test].to_vec();
            let train = perm[n_test..n_test + n_train].to_vec();
            Ok((train, test))
        }
        Some(y) => stratified_split(y, n_samples, n_train, n_test, &mut rng),
    }
}

/// `(n_train, n_test)` as scikit-learn's `_validate_shuffle_split` computes
/// them for an explicit `test_size`.
pub fn validate_sizes(
    n_samples: usize,
    test_size: SplitSize,
    train_size: Option<SplitSize>,
) -> Result<(usize, usize), SplitError> {
    split_sizes(n_samples, Some(test_size), train_size)
}

/// `(n_train, n_test)` as scikit-learn's `_validate_shuffle_split(n_samples,
/// test_size, train_size, default_test_size=0.25)` computes them, either
/// size possibly unset: with neither, `test_size` is [`DEFAULT_TEST_SIZE`];
/// with only `train_size`, `n_test = n_samples - n_train` (counted from
/// `floor(train_size·n)` for a fraction, as scikit-learn does, not from
/// the fraction `1 - train_size`, whose rounding can differ).
pub fn split_sizes(
    n_samples: usize,
    test_size: Option<SplitSize>,
    train_size: Option<SplitSize>,
) -> Result<(usize, usize), SplitError> {
    let test_size = match (test_size, train_size) {
        (None, None) => Some(DEFAULT_TEST_SIZE),
        (t, _) => t,
    };
    let invalid = |name: &'static str, size: SplitSize| {
        match size {
            SplitSize::Count(c) => c == 0 || c >= n_samples,
            // Written so that NaN is invalid too.
            SplitSize::Fraction(f) => !(f > 0.0 && f < 1.0),
        }
        .then_some(SplitError::InvalidSize {
            name,
            size,
            n_samples,
        })
    };

    if let Some(e) = test_size.and_then(|s| invalid("test_size", s)) {
        return Err(e);
    }
    if let Some(e) = train_size.and_then(|s| invalid("train_size", s)) {
        return Err(e);
    }
    if let (Some(SplitSize::Fraction(te)), Some(SplitSize::Fraction(tr))) = (test_size, train_size)
    {
        let sum = tr + te;
        if sum > 1.0 {
            return Err(SplitError::FractionsExceedOne { sum });
        }
    }
    let n = n_samples as f64;
    // Fractions are in (0, 1), so both products are in [0, n): the casts are exact.
    let n_test = match test_size {
        Some(SplitSize::Fraction(f)) => Some((f * n).ceil() as usize),
        Some(SplitSize::Count(c)) => Some(c),
        None => None,
    };
    let n_train = match train_size {
        Some(SplitSize::Fraction(f)) => Some((f * n).floor() as usize),
        Some(SplitSize::Count(c)) => Some(c),
        None => None,
    };
    let (n_train, n_test) = match (n_train, n_test) {
        (Some(tr), Some(te)) => (tr, te),
        (None, Some(te)) => (n_samples.saturating_sub(te), te),
        (Some(tr), None) => (tr, n_samples.saturating_sub(tr)),
        // Unreachable: test_size defaults when both are unset.
        (None, None) => (0, 0),
    };
    let total = n_train.saturating_add(n_test);
    if total > n_samples {
        return Err(SplitError::SizesExceedSamples { total, n_samples });
    }
    if n_train == 0 {
        return Err(SplitError::EmptyTrain {
            n_samples,
            test_size,
            train_size,
        });
    }
    Ok((n_train, n_test))
}

fn stratified_split(
    y: &Labels,
    n_samples: usize,
    n_train: usize,
    n_test: usize,
    rng: &mut NumpyRandomState,
) -> Result<(Vec<usize>, Vec<usize>), SplitError> {
    let codes = y.codes();
    if codes.len() != n_samples {
        return Err(SplitError::StratifyLength {
            n_labels: codes.len(),
            n_samples,
        });
    }
    // np.unique: the classes present, in increasing order; their indices in
    // increasing order (a stable argsort of the class index).
    let mut class_indices: Vec<Vec<usize>> = vec![Vec::new(); y.n_classes()];
    for (i, &c) in codes.iter().enumerate() {
        class_indices[c as usize].push(i);
    }
    let (classes, class_indices): (Vec<u32>, Vec<Vec<usize>>) = class_indices
        .into_iter()
        .enumerate()
        .filter(|(_, idx)| !idx.is_empty())
        .map(|(c, idx)| (c as u32, idx))
        .unzip();
    let class_counts: Vec<usize> = class_indices.iter().map(Vec::len).collect();
    let n_classes = classes.len();

    if let Some((&class, &count)) = classes.iter().zip(&class_counts).find(|(_, &n)| n < 2) {
        return Err(SplitError::ClassTooSmallToStratify { class, count });
    }
    if n_train < n_classes {
        return Err(SplitError::SetSmallerThanClasses {
            set: "train",
            size: n_train,
            n_classes,
        });
    }
    if n_test < n_classes {
        return Err(SplitError::SetSmallerThanClasses {
            set: "test",
            size: n_test,
            n_classes,
        });
    }

    let n_i = approximate_mode(&class_counts, n_train, rng);
    let remaining: Vec<usize> = class_counts
        .iter()
        .zip(&n_i)
        .map(|(&c, &n)| c.saturating_sub(n))
        .collect();
    let t_i = approximate_mode(&remaining, n_test, rng);

    let mut train = Vec::with_capacity(n_train);
    let mut test = Vec::with_capacity(n_test);
    for (k, indices) in class_indices.iter().enumerate() {
        let perm = rng.permutation(indices.len());
        let permuted: Vec<usize> = perm.iter().map(|&p| indices[p]).collect();
        let a = n_i[k].min(permuted.len());
        let b = (n_i[k] + t_i[k]).min(permuted.len());
        train.extend_from_slice(&permuted[..a]);
        test.extend_from_slice(&permuted[a..b]);
    }
    rng.shuffle(&mut train);
    rng.shuffle(&mut test);
    Ok((train, test))
}

/// scikit-learn's `_approximate_mode(class_counts, n_draws, rng)`: how many
/// of `n_draws` samples to take from each class, roughly the mode of the
/// multivariate hypergeometric distribution.
///
/// `continuous_i = count_i / Σcount · n_draws` (in that floating-point
/// order), floored; the shortfall is handed out one by one to the classes
/// with the largest fractional remainders, going through the distinct
/// remainder values from the largest down. The classes tied at one value (in
/// increasing position) are picked by `rng.choice(tied, size=add_now,
/// replace=False)`, which is `permutation(len(tied))[..add_now]`: a tie group
/// consumes random draws even when all of its members are taken.
pub fn approximate_mode(
    class_counts: &[usize],
    n_draws: usize,
    rng: &mut NumpyRandomState,
) -> Vec<usize> {
    let total: usize = class_counts.iter().sum();
    let total = total as f64;
    let draws = n_draws as f64;
    let continuous: Vec<f64> = class_counts
        .iter()
        .map(|&c| c as f64 / total * draws)
        .collect();
    let mut floored: Vec<f64> = continuous.iter().map(|c| c.floor()).collect();
    let floored_sum: f64 = floored.iter().sum();
    // int(n_draws - floored.sum()): truncation toward zero.
    let need = (draws - floored_sum).trunc();
    if need > 0.0 {
        let mut need_to_add = need as usize;
        let remainder: Vec<f64> = continuous
            .iter()
            .zip(&floored)
            .map(|(c, f)| c - f)
            .collect();
        let mut values = remainder.clone();
        values.sort_by(|a, b| b.total_cmp(a));
        values.dedup();
        for value in values {
            let inds: Vec<usize> = (0..remainder.len())
                .filter(|&i| remainder[i] == value)
                .collect();
            let add_now = inds.len().min(need_to_add);
            let perm = rng.permutation(inds.len());
            for &p in &perm[..add_now] {
                floored[inds[p]] += 1.0;
            }
            need_to_add -= add_now;
            if need_to_add == 0 {
                break;
            }
        }
    }
    floored.iter().map(|&f| f as usize).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn approximate_mode_doc_examples() {
        // The examples of scikit-learn's `_approximate_mode` docstring.
        let mut rng = NumpyRandomState::new(0);
        assert_eq!(approximate_mode(&[4, 2], 3, &mut rng), vec![2, 1]);
        let mut rng = NumpyRandomState::new(0);
        assert_eq!(approximate_mode(&[5, 2], 4, &mut rng), vec![3, 1]);
        let mut rng = NumpyRandomState::new(0);
        assert_eq!(
            approximate_mode(&[2, 2, 2, 1], 2, &mut rng),
            vec![0, 1, 1, 0]
        );
        let mut rng = NumpyRandomState::new(42);
        assert_eq!(
            approximate_mode(&[2, 2, 2, 1], 2, &mut rng),
            vec![1, 1, 0, 0]
        );
    }

    #[test]
    fn size_rounding() {
        assert_eq!(
            validate_sizes(150, SplitSize::Fraction(0.2), None),
            Ok((120, 30))
        );
        assert_eq!(
            validate_sizes(10, SplitSize::Fraction(0.25), None),
            Ok((7, 3))
        );
        assert_eq!(
            validate_sizes(
                10,
                SplitSize::Fraction(0.25),
                Some(SplitSize::Fraction(0.5))
            ),
            Ok((5, 3))
        );
        assert_eq!(
            validate_sizes(10, SplitSize::Count(3), Some(SplitSize::Count(4))),
            Ok((4, 3))
        );
    }

    #[test]
    fn unset_sizes_follow_scikit_learn() {
        // Neither size: test_size = 0.25.
        assert_eq!(split_sizes(10, None, None), Ok((7, 3)));
        assert_eq!(
            split_sizes(150, None, None),
            validate_sizes(150, DEFAULT_TEST_SIZE, None)
        );
        // Only train_size: the test set is the rest, counted from floor(train_size·n).
        assert_eq!(split_sizes(10, None, Some(SplitSize::Count(6))), Ok((6, 4)));
        assert_eq!(
            split_sizes(150, None, Some(SplitSize::Fraction(0.8))),
            Ok((120, 30))
        );
        // The fraction 1 − 0.7 would test ceil(3.0000000000000004) = 4 rows
        // (and 7 + 4 > 10); scikit-learn trains 7 and tests 3. And 0.29 of 100
        // trains floor(28.999999999999996) = 28 rows: scikit-learn tests the
        // other 72, where the fraction 1 − 0.29 would test ceil(71.0) = 71.
        assert_eq!(
            split_sizes(10, None, Some(SplitSize::Fraction(0.7))),
            Ok((7, 3))
        );
        assert_eq!(
            split_sizes(100, None, Some(SplitSize::Fraction(0.29))),
            Ok((28, 72))
        );
        // A bad train_size is reported as such.
        assert_eq!(
            split_sizes(10, None, Some(SplitSize::Fraction(1.5))),
            Err(SplitError::InvalidSize {
                name: "train_size",
                size: SplitSize::Fraction(1.5),
                n_samples: 10
            })
        );
        assert_eq!(
            split_sizes(10, None, Some(SplitSize::Fraction(0.05))).map_err(|e| e.to_string()),
            Err("with n_samples=10, test_size=None and train_size=0.05, the train set would be empty".to_owned())
        );
    }
}
