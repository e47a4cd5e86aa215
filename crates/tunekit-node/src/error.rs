//! The one table from errors to the stable codes TypeScript decodes
//! (`ts/errors.ts`): every variant of every core error enum is listed, with
//! no catch-all arm, so a new variant does not compile until it has a code.
//!
//! An error crosses as a JavaScript error whose message is `[CODE] message`.

use std::fmt::Display;

use napi::{Error, Status};
use tunekit_core::acquisition::BoError;
use tunekit_core::cmaes::CmaError;
use tunekit_core::data::DataError;
use tunekit_core::ga::GaError;
use tunekit_core::gp::GpError;
use tunekit_core::importance::ImportanceError;
use tunekit_core::model_selection::search::{FoldProblem, SearchError};
use tunekit_core::model_selection::split_error::SplitError;
use tunekit_core::model_selection::summary::SummaryError;
use tunekit_core::space::SpaceError;
use tunekit_core::svm::SvmError;
use tunekit_core::tpe::TpeError;
use tunekit_core::transfer::TransferError;

/// The codes of `TunekitErrorCode` that native errors carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// NaN/infinity, empty or ragged arrays, shapes that do not match.
    InvalidData,
    /// A setting out of range.
    InvalidParameter,
    /// A single class, an unknown label.
    InvalidLabels,
    /// A fold or split that cannot be made.
    InvalidSplit,
    /// A search space that cannot be searched.
    InvalidSpace,
    /// A bug in tunekit (or a numerical failure the inputs cannot explain).
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidData => "INVALID_DATA",
            Code::InvalidParameter => "INVALID_PARAMETER",
            Code::InvalidLabels => "INVALID_LABELS",
            Code::InvalidSplit => "INVALID_SPLIT",
            Code::InvalidSpace => "INVALID_SPACE",
            Code::Internal => "INTERNAL",
        }
    }
}

/// An error with a stable code.
pub trait Coded: Display {
    fn code(&self) -> Code;
}

/// Any coded error as the JavaScript error the TypeScript layer decodes.
pub fn js<E: Coded>(e: E) -> Error {
    coded(e.code(), e)
}

/// A JavaScript error whose message is `[CODE] message`.
pub fn coded(code: Code, message: impl Display) -> Error {
    Error::new(Status::InvalidArg, format!("[{}] {message}", code.as_str()))
}

/// A panic caught on a worker thread (an `AsyncTask`'s compute), as an
/// INTERNAL error instead of an abort.
pub fn panicked(payload: Box<dyn std::any::Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    coded(
        Code::Internal,
        format!("tunekit's native code panicked (please report it): {what}"),
    )
}

/// Runs the work of an `AsyncTask` off the event loop, turning a panic into
/// an INTERNAL error (a panic must not unwind out of the libuv thread).
pub fn no_panic<T>(f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panicked(p)))
}

impl Coded for DataError {
    fn code(&self) -> Code {
        match self {
            DataError::Empty { .. }
            | DataError::Shape { .. }
            | DataError::NonFinite { .. }
            | DataError::LengthMismatch { .. }
            | DataError::LabelOutOfRange { .. }
            | DataError::IndexOutOfRange { .. } => Code::InvalidData,
        }
    }
}

impl Coded for SvmError {
    fn code(&self) -> Code {
        match self {
            SvmError::InvalidC(_)
            | SvmError::InvalidGamma(_)
            | SvmError::InvalidTol(_)
            | SvmError::InvalidCoef0(_)
            | SvmError::InvalidMaxIter(_)
            | SvmError::InvalidCacheSize(_)
            | SvmError::InvalidClassWeight { .. }
            | SvmError::ClassWeightLength { .. } => Code::InvalidParameter,
            SvmError::SingleClass { .. } => Code::InvalidLabels,
            SvmError::FeatureMismatch { .. } | SvmError::TooManySamples(_) => Code::InvalidData,
            SvmError::Data(e) => e.code(),
        }
    }
}

impl Coded for SearchError {
    fn code(&self) -> Code {
        match self {
            SearchError::Svm { source, .. } => source.code(),
            SearchError::Fold { problem, .. } => match problem {
                FoldProblem::EmptyTrain
                | FoldProblem::EmptyTest
                | FoldProblem::IndexOutOfRange { .. }
                | FoldProblem::Overlap { .. }
                | FoldProblem::SingleClass { .. } => Code::InvalidSplit,
            },
            SearchError::NoJobs => Code::InvalidParameter,
            SearchError::ThreadPool { .. } => Code::Internal,
            SearchError::TooManySamples(_) => Code::InvalidData,
            SearchError::Data(e) => e.code(),
        }
    }
}

impl Coded for SummaryError {
    fn code(&self) -> Code {
        match self {
            SummaryError::NoWidth | SummaryError::Ragged { .. } => Code::InvalidData,
        }
    }
}

impl Coded for SplitError {
    fn code(&self) -> Code {
        match self {
            // folds and splits
            SplitError::TooFewSplits { .. }
            | SplitError::MoreSplitsThanSamples { .. }
            | SplitError::ClassSmallerThanSplits { .. }
            | SplitError::InvalidSize { .. }
            | SplitError::FractionsExceedOne { .. }
            | SplitError::SizesExceedSamples { .. }
            | SplitError::EmptyTrain { .. }
            | SplitError::StratifyLength { .. }
            | SplitError::ClassTooSmallToStratify { .. }
            | SplitError::SetSmallerThanClasses { .. } => Code::InvalidSplit,
            // the parameter sampler's settings and distributions
            SplitError::ZeroIterations
            | SplitError::DuplicateParameter { .. }
            | SplitError::InvalidUniform { .. }
            | SplitError::InvalidLogUniform { .. }
            | SplitError::InvalidRandInt { .. }
            | SplitError::EmptyChoice { .. }
            | SplitError::GridTooLarge { .. } => Code::InvalidParameter,
        }
    }
}

impl Coded for SpaceError {
    fn code(&self) -> Code {
        match self {
            SpaceError::Empty
            | SpaceError::DuplicateName(_)
            | SpaceError::InvalidBounds { .. }
            | SpaceError::LogNonPositive { .. }
            | SpaceError::InvalidStep { .. }
            | SpaceError::StepNotDividing { .. }
            | SpaceError::LogWithStep { .. }
            | SpaceError::NoChoices { .. } => Code::InvalidSpace,
            // a point that does not belong to the space
            SpaceError::WrongLength { .. } | SpaceError::OutOfDomain { .. } => Code::InvalidData,
        }
    }
}

impl Coded for GaError {
    fn code(&self) -> Code {
        match self {
            GaError::PopulationTooSmall(_)
            | GaError::InvalidProbability { .. }
            | GaError::InvalidEta { .. }
            | GaError::InvalidSigma(_)
            | GaError::InvalidAlpha(_)
            | GaError::InvalidTournamentSize { .. }
            | GaError::InvalidRankPressure(_)
            | GaError::ElitismTooLarge { .. }
            | GaError::NoObjectives
            | GaError::EngineBusy => Code::InvalidParameter,
            GaError::EmptySpace | GaError::RangeOverflow { .. } => Code::InvalidSpace,
            GaError::InvalidPoint { .. }
            | GaError::ObjectiveCount { .. }
            | GaError::InvalidViolation { .. }
            | GaError::PoolShape { .. }
            | GaError::AdvanceShape { .. } => Code::InvalidData,
            GaError::Space(e) => e.code(),
            GaError::EnginePoisoned => Code::Internal,
        }
    }
}

impl Coded for GpError {
    fn code(&self) -> Code {
        match self {
            GpError::Empty { .. }
            | GpError::ShapeMismatch { .. }
            | GpError::NonFinite { .. }
            | GpError::SpaceMismatch { .. } => Code::InvalidData,
            GpError::LengthScaleCount { .. }
            | GpError::NotPositive { .. }
            | GpError::InvalidAlpha(_)
            | GpError::InvalidBounds { .. }
            | GpError::InvalidSetting { .. }
            | GpError::ZeroIterations
            | GpError::ThetaLength { .. } => Code::InvalidParameter,
            GpError::NotPositiveDefinite { .. } | GpError::FitFailed(_) => Code::Internal,
        }
    }
}

impl Coded for BoError {
    fn code(&self) -> Code {
        match self {
            BoError::NonFiniteTarget { .. }
            | BoError::LengthMismatch { .. }
            | BoError::InvalidPoint { .. }
            | BoError::ConstraintRows { .. }
            | BoError::ConstraintRowLength { .. }
            | BoError::NonFiniteConstraint { .. } => Code::InvalidData,
            BoError::ZeroBatch
            | BoError::ConstrainedUcb
            | BoError::InvalidSetting { .. }
            | BoError::TooLarge { .. }
            | BoError::WarmStartLength { .. }
            | BoError::WarmStartNonFinite { .. }
            | BoError::FixedLength { .. }
            | BoError::InvalidFixed { .. } => Code::InvalidParameter,
            BoError::Transfer(e) => e.code(),
            // `propose` checks its inputs first: a surrogate fit that still
            // fails is a numerical failure, not the caller's.
            BoError::Gp(_) => Code::Internal,
        }
    }
}

impl Coded for TransferError {
    fn code(&self) -> Code {
        match self {
            TransferError::LengthMismatch { .. }
            | TransferError::PointLength { .. }
            | TransferError::NonFiniteTarget { .. }
            | TransferError::InvalidValue { .. } => Code::InvalidData,
            TransferError::NoSharedParameter { .. } | TransferError::Space { .. } => {
                Code::InvalidSpace
            }
        }
    }
}

/// What the binding itself refuses while converting JavaScript values into
/// the core's types (a number the core holds as an integer, a value left
/// out, a block that is not whole rows; kinds are string enums, which napi
/// checks itself); `code` is the code of the call's
/// subject (a space, a setting, a split).
#[derive(Debug, Clone, PartialEq)]
pub enum ConvertError {
    /// A number that must be `expected` (an integer of some range).
    Integer {
        what: String,
        value: f64,
        expected: &'static str,
        code: Code,
    },
    /// A required part of a value left out.
    Missing { what: String, code: Code },
    /// A flat block that is not a whole number of rows.
    Ragged {
        what: &'static str,
        len: usize,
        d: usize,
    },
    /// A `[low, high]` pair with another number of values.
    NotAPair { what: &'static str, len: usize },
}

impl Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConvertError::Integer {
                what,
                value,
                expected,
                ..
            } => write!(f, "{what} must be {expected}, got {value}"),
            ConvertError::Missing { what, .. } => write!(f, "{what} is missing"),
            ConvertError::Ragged { what, len, d } => write!(
                f,
                "{what} has {len} values: not a whole number of {d}-parameter points"
            ),
            ConvertError::NotAPair { what, len } => {
                write!(f, "{what} must be [low, high], got {len} values")
            }
        }
    }
}

impl Coded for ConvertError {
    fn code(&self) -> Code {
        match self {
            ConvertError::Integer { code, .. } | ConvertError::Missing { code, .. } => *code,
            ConvertError::Ragged { .. } => Code::InvalidData,
            ConvertError::NotAPair { .. } => Code::InvalidParameter,
        }
    }
}

impl Coded for TpeError {
    fn code(&self) -> Code {
        match self {
            TpeError::EmptySpace | TpeError::NoChoices | TpeError::Range { .. } => {
                Code::InvalidSpace
            }
            TpeError::Shape { .. }
            | TpeError::Mismatch { .. }
            | TpeError::Observation { .. }
            | TpeError::Values { .. } => Code::InvalidData,
            TpeError::PriorWeight(_) | TpeError::Weights | TpeError::NoCandidates => {
                Code::InvalidParameter
            }
        }
    }
}

impl Coded for CmaError {
    fn code(&self) -> Code {
        match self {
            CmaError::Sigma0(_)
            | CmaError::Popsize(_)
            | CmaError::IncPopsize(_)
            | CmaError::Resampling
            | CmaError::Incompatible { .. }
            | CmaError::WarmStartTooFew { .. } => Code::InvalidParameter,
            CmaError::Categorical { .. } => Code::InvalidSpace,
            CmaError::State(_)
            | CmaError::StateMismatch(_)
            | CmaError::Solutions { .. }
            | CmaError::Shape { .. }
            | CmaError::NonFinite { .. }
            | CmaError::WarmStartDegenerate => Code::InvalidData,
            CmaError::Space(e) => e.code(),
        }
    }
}

impl Coded for ImportanceError {
    fn code(&self) -> Code {
        match self {
            ImportanceError::NoParams
            | ImportanceError::TooFewTrials { .. }
            | ImportanceError::Shape { .. }
            | ImportanceError::NonFiniteTarget { .. }
            | ImportanceError::OutOfDomain { .. }
            | ImportanceError::ZeroVariance => Code::InvalidData,
            ImportanceError::InvalidOption { .. } => Code::InvalidParameter,
        }
    }
}
