use thiserror::Error;

use crate::space::SpaceError;

/// Errors in the old studies' observations given for transfer
/// ([`super::BaseTask`]); `task` is the index of the old study in the request.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TransferError {
    #[error("transfer[{task}]: {points} points but {targets} targets: give one target per point")]
    LengthMismatch {
        task: usize,
        points: usize,
        targets: usize,
    },
    #[error("transfer[{task}].points[{index}] has {got} values but the space has {expected} parameters (NaN for a parameter the old study lacks)")]
    PointLength {
        task: usize,
        index: usize,
        expected: usize,
        got: usize,
    },
    #[error("transfer[{task}].targets[{index}] = {value} is not a finite number")]
    NonFiniteTarget {
        task: usize,
        index: usize,
        value: f64,
    },
    #[error("transfer[{task}].points[{index}]: {param} = {value} is outside its domain")]
    InvalidValue {
        task: usize,
        index: usize,
        param: String,
        value: f64,
    },
    #[error("transfer[{task}] shares no parameter with the space: every parameter is NaN in at least one of its points")]
    NoSharedParameter { task: usize },
    #[error("transfer[{task}]: {source}")]
    Space {
        task: usize,
        #[source]
        source: SpaceError,
    },
}
