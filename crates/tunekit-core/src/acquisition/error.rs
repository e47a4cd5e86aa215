use thiserror::Error;

use crate::gp::GpError;
use crate::space::SpaceError;
use crate::transfer::TransferError;

/// Errors of the Bayesian-optimisation step ([`super::propose`]) and of the acquisition settings.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BoError {
    #[error("n = 0: ask for at least one point")]
    ZeroBatch,
    #[error("{points} points but {targets} targets: give one target per point")]
    LengthMismatch { points: usize, targets: usize },
    #[error("targets[{index}] = {value} is not a finite number")]
    NonFiniteTarget { index: usize, value: f64 },
    #[error("{which}[{index}]: {source}")]
    InvalidPoint {
        which: &'static str,
        index: usize,
        #[source]
        source: SpaceError,
    },
    #[error("{name} = {value} is invalid: {reason}")]
    InvalidSetting {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
    #[error("{name} = {value} is too large: at most {max}")]
    TooLarge {
        name: &'static str,
        value: usize,
        max: usize,
    },
    #[error("warm_start has {got} values but this model has {expected} hyper-parameters (log length scales, log variance, log noise)")]
    WarmStartLength { expected: usize, got: usize },
    #[error("warm_start[{index}] = {value} is not a finite number")]
    WarmStartNonFinite { index: usize, value: f64 },
    #[error(
        "{rows} rows of constraint values but {points} points: give one row per point (or none)"
    )]
    ConstraintRows { rows: usize, points: usize },
    #[error("constraints[{index}] has {got} values but the first row has {expected}: every observation needs the same constraints (at least one)")]
    ConstraintRowLength {
        index: usize,
        expected: usize,
        got: usize,
    },
    #[error("constraints[{index}][{constraint}] = {value} is not finite: constraint values are finite numbers (NaN for a value the observation lacks)")]
    NonFiniteConstraint {
        index: usize,
        constraint: usize,
        value: f64,
    },
    #[error("fixed has {got} entries but the space has {expected} parameters: give one (or null) per parameter, or none")]
    FixedLength { expected: usize, got: usize },
    #[error("fixed[{index}] = {value} is not a valid value of parameter {name:?}")]
    InvalidFixed {
        index: usize,
        name: String,
        value: f64,
    },
    #[error("constraints need the acquisition logei, ei or pi (ucb has no probability of feasibility to weigh)")]
    ConstrainedUcb,
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error("Gaussian-process fit failed: {0}")]
    Gp(#[from] GpError),
}
