use thiserror::Error;

use crate::gp::GpError;
use crate::space::SpaceError;

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
    #[error("Gaussian-process fit failed: {0}")]
    Gp(#[from] GpError),
}
