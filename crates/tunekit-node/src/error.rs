//! Maps core errors onto `napi::Error`s carrying a stable code.

use napi::{Error, Status};
use tunekit_core::data::DataError;
use tunekit_core::model_selection::search::SearchError;
use tunekit_core::model_selection::split_error::SplitError;
use tunekit_core::svm::SvmError;

/// A JavaScript error whose message is `[CODE] message`.
pub fn coded(code: &str, message: impl std::fmt::Display) -> Error {
    Error::new(Status::InvalidArg, format!("[{code}] {message}"))
}

pub fn data_error(e: DataError) -> Error {
    coded("INVALID_DATA", e)
}

fn svm_code(e: &SvmError) -> &'static str {
    match e {
        SvmError::Data(_) | SvmError::FeatureMismatch { .. } | SvmError::TooManySamples(_) => {
            "INVALID_DATA"
        }
        SvmError::SingleClass { .. } => "INVALID_LABELS",
        _ => "INVALID_PARAMETER",
    }
}

pub fn svm_error(e: SvmError) -> Error {
    coded(svm_code(&e), e)
}

pub fn search_error(e: SearchError) -> Error {
    let code = match &e {
        SearchError::Svm { source, .. } => svm_code(source),
        SearchError::Data(_) | SearchError::TooManySamples(_) => "INVALID_DATA",
        SearchError::NoJobs => "INVALID_PARAMETER",
        SearchError::Fold { .. } => "INVALID_SPLIT",
        SearchError::ThreadPool { .. } => "INTERNAL",
    };
    coded(code, e)
}

pub fn split_error(e: SplitError) -> Error {
    coded("INVALID_SPLIT", e)
}
