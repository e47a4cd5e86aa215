//! The one error type of the splitters and the parameter sampler.

use std::fmt;

use thiserror::Error;

/// A train or test size: a fraction of the samples, or a number of samples
/// (scikit-learn's float / int `test_size` and `train_size`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SplitSize {
    /// A fraction in the open interval (0, 1).
    Fraction(f64),
    /// A number of samples in `1..n_samples`.
    Count(usize),
}

impl fmt::Display for SplitSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitSize::Fraction(v) => write!(f, "{v}"),
            SplitSize::Count(v) => write!(f, "{v}"),
        }
    }
}

/// `None` prints as "None", as scikit-learn writes a size left unset.
pub(crate) struct OptSize(pub Option<SplitSize>);

impl fmt::Display for OptSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => s.fmt(f),
            None => f.write_str("None"),
        }
    }
}

/// Errors raised by the folds, splits and parameter sampler; each message
/// names the offending value.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SplitError {
    #[error("n_splits={n_splits}: cross-validation needs at least 2 splits")]
    TooFewSplits { n_splits: usize },

    #[error("n_splits={n_splits} is larger than the number of samples ({n_samples})")]
    MoreSplitsThanSamples { n_splits: usize, n_samples: usize },

    #[error("cv={n_splits} is larger than the smallest class (class {class} has {count} samples)")]
    ClassSmallerThanSplits {
        n_splits: usize,
        class: u32,
        count: usize,
    },

    #[error("{name}={size} should be either a count in 1..{n_samples} (below n_samples={n_samples}) or a fraction in the open interval (0, 1)")]
    InvalidSize {
        name: &'static str,
        size: SplitSize,
        n_samples: usize,
    },

    #[error("test_size + train_size = {sum} is more than 1: reduce test_size and/or train_size")]
    FractionsExceedOne { sum: f64 },

    #[error("train_size + test_size = {total} samples is more than the {n_samples} samples available: reduce test_size and/or train_size")]
    SizesExceedSamples { total: usize, n_samples: usize },

    #[error("with n_samples={n_samples}, test_size={} and train_size={}, the train set would be empty", OptSize(*.test_size), OptSize(*.train_size))]
    EmptyTrain {
        n_samples: usize,
        test_size: Option<SplitSize>,
        train_size: Option<SplitSize>,
    },

    #[error("stratify has {n_labels} labels but there are {n_samples} samples: they must have the same length")]
    StratifyLength { n_labels: usize, n_samples: usize },

    #[error("class {class} has only {count} sample: stratified splitting needs at least 2 samples of every class")]
    ClassTooSmallToStratify { class: u32, count: usize },

    #[error("the {set} set would have {size} samples, fewer than the {n_classes} classes: stratified splitting needs at least one sample of each class in it")]
    SetSmallerThanClasses {
        set: &'static str,
        size: usize,
        n_classes: usize,
    },

    #[error("n_iter=0: at least one parameter setting must be sampled")]
    ZeroIterations,

    #[error("parameter `{name}` appears more than once")]
    DuplicateParameter { name: String },

    #[error("parameter `{name}`: uniform(loc={loc}, scale={scale}) needs a finite loc and a finite scale > 0")]
    InvalidUniform { name: String, loc: f64, scale: f64 },

    #[error("parameter `{name}`: loguniform(a={a}, b={b}) needs finite bounds with 0 < a < b")]
    InvalidLogUniform { name: String, a: f64, b: f64 },

    #[error(
        "parameter `{name}`: randint(low={low}, high={high}) needs low < high (high is excluded)"
    )]
    InvalidRandInt { name: String, low: i64, high: i64 },

    #[error("parameter `{name}`: the list of values is empty")]
    EmptyChoice { name: String },

    #[error("the grid of all list values has more points than fit in memory (overflow at parameter `{name}`)")]
    GridTooLarge { name: String },
}
