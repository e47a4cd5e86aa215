use thiserror::Error;

use crate::optim::OptimError;

/// Errors of Gaussian-process settings, data and fits.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GpError {
    #[error("no training data: n = {n} points in d = {d} dimensions (need n ≥ 1, d ≥ 1)")]
    Empty { n: usize, d: usize },
    #[error("{what} has {got} values but {expected} were expected")]
    ShapeMismatch {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("{what}[{index}] = {value} is not a finite number")]
    NonFinite {
        what: &'static str,
        index: usize,
        value: f64,
    },
    #[error("length_scale has {got} entries: give 1 (shared) or one per dimension ({d})")]
    LengthScaleCount { d: usize, got: usize },
    #[error("{name} = {value} is invalid: it must be a finite number > 0")]
    NotPositive { name: String, value: f64 },
    #[error("alpha = {0} is invalid: it must be a finite number ≥ 0")]
    InvalidAlpha(f64),
    #[error("bounds for {name} are ({lo}, {hi}): they must be finite, > 0 and lo ≤ hi")]
    InvalidBounds {
        name: &'static str,
        lo: f64,
        hi: f64,
    },
    #[error("{name} = {value} is invalid: it must be a finite number (≥ 0 for ftol, > 0 for initial_step)")]
    InvalidSetting { name: &'static str, value: f64 },
    #[error("optimizer.max_iter = 0: allow at least one iteration")]
    ZeroIterations,
    #[error("the space has {space} parameters but the data have d = {d} dimensions")]
    SpaceMismatch { space: usize, d: usize },
    #[error(
        "the kernel matrix is not positive definite even with jitter {jitter:e} on its diagonal"
    )]
    NotPositiveDefinite { jitter: f64 },
    #[error("hyper-parameter vector has {got} entries but this model has {expected} (log length scales, log variance, log noise if fitted)")]
    ThetaLength { expected: usize, got: usize },
    #[error("every hyper-parameter fit failed; the last error: {0}")]
    FitFailed(OptimError),
}
