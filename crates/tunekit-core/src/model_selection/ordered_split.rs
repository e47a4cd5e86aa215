//! `train_test_split(..., shuffle=False)`: the first rows train, the next test.

use super::split_error::{SplitError, SplitSize};
use super::train_test_split::split_sizes;

/// Row indices `(train, test)` without shuffling, as scikit-learn: train is
/// `0..n_train`, test is `n_train..n_train + n_test`, sizes as in
/// [`train_test_split`](super::train_test_split::train_test_split).
pub fn train_test_split_unshuffled(
    n_samples: usize,
    test_size: impl Into<Option<SplitSize>>,
    train_size: Option<SplitSize>,
) -> Result<(Vec<usize>, Vec<usize>), SplitError> {
    let (n_train, n_test) = split_sizes(n_samples, test_size.into(), train_size)?;
    Ok((
        (0..n_train).collect(),
        (n_train..n_train + n_test).collect(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn takes_leading_rows_for_train() {
        let (train, test) =
            train_test_split_unshuffled(10, SplitSize::Fraction(0.25), None).unwrap();
        assert_eq!(train, (0..7).collect::<Vec<_>>());
        assert_eq!(test, vec![7, 8, 9]);
        assert!(train_test_split_unshuffled(10, SplitSize::Count(10), None).is_err());
    }
}
