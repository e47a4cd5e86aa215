//! Errors of the importance evaluators.

use thiserror::Error;

/// Why an importance evaluation refused its input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ImportanceError {
    #[error("parameter importance needs at least one parameter")]
    NoParams,
    #[error("parameter importance needs at least 2 COMPLETE trials, got {got}")]
    TooFewTrials { got: usize },
    #[error("the trial matrix has {len} values, expected {rows} trials × {cols} parameters = {expected}")]
    Shape {
        len: usize,
        rows: usize,
        cols: usize,
        expected: usize,
    },
    #[error("the target of {trial} is {value}: targets must be finite numbers")]
    NonFiniteTarget { trial: String, value: f64 },
    #[error("{trial}: parameter {name:?} is {value}, outside its domain ({domain})")]
    OutOfDomain {
        trial: String,
        name: String,
        value: f64,
        domain: String,
    },
    #[error("{option} must be {expected}, got {value}")]
    InvalidOption {
        option: &'static str,
        expected: &'static str,
        value: f64,
    },
    #[error(
        "fANOVA: the target has zero variance in every tree of the forest (is the target constant?)"
    )]
    ZeroVariance,
}
