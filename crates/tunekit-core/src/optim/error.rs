use thiserror::Error;

/// Errors of the bounded minimiser: inconsistent inputs, or an objective that
/// cannot be evaluated at the start.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    #[error("the starting point has {x0} coordinates but the bounds have {lower} (lower) and {upper} (upper)")]
    DimensionMismatch {
        x0: usize,
        lower: usize,
        upper: usize,
    },
    #[error("bounds of coordinate {index}: lower = {lower} must not exceed upper = {upper} (and neither may be NaN)")]
    InvalidBounds {
        index: usize,
        lower: f64,
        upper: f64,
    },
    #[error("coordinate {index} of the starting point is {value}, not a finite number")]
    NonFiniteStart { index: usize, value: f64 },
    #[error("the objective is {value} at the starting point, not a finite number")]
    NonFiniteObjective { value: f64 },
    #[error("the objective's gradient component {index} is {value} at the starting point, not a finite number")]
    NonFiniteGradient { index: usize, value: f64 },
    #[error("option {name} = {value} is invalid: {reason}")]
    InvalidOption {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
}
