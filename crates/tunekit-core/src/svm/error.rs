//! The one error type of the SVM module.

use thiserror::Error;

use crate::data::DataError;

/// Everything that can go wrong when fitting or using an [`SvcModel`](super::SvcModel).
///
/// Every message names the offending value, so it can be shown to a user as is.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SvmError {
    #[error("C must be a positive finite number, got {0}")]
    InvalidC(f64),
    /// gamma must be strictly positive and finite (scikit-learn rejects negative
    /// values; a gamma of 0 makes every rbf/poly/sigmoid kernel constant, so it is
    /// rejected too).
    #[error("gamma must be positive, got {0}")]
    InvalidGamma(f64),
    #[error("tol must be a positive finite number, got {0}")]
    InvalidTol(f64),
    #[error("coef0 must be a finite number, got {0}")]
    InvalidCoef0(f64),
    #[error("max_iter must be at least 1 when given, got {0}")]
    InvalidMaxIter(u64),
    #[error("cache_size_mb must be a positive finite number, got {0}")]
    InvalidCacheSize(f64),
    #[error("class weight for class {class} is {value}: weights must be finite and >= 0")]
    InvalidClassWeight { class: usize, value: f64 },
    #[error("class_weight has {got} values but y has {expected} classes: give one weight per class code")]
    ClassWeightLength { got: usize, expected: usize },
    #[error("y has a single class ({class}): SVC needs at least two")]
    SingleClass { class: u32 },
    #[error("X has {got} features but the model was fitted on {expected}")]
    FeatureMismatch { got: usize, expected: usize },
    #[error("X has {0} rows: at most 4294967295 samples are supported")]
    TooManySamples(usize),
    #[error(transparent)]
    Data(#[from] DataError),
}
