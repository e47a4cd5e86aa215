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

pub fn svm_error(e: SvmError) -> Error {
    let code = match &e {
        SvmError::Data(_) => "INVALID_DATA",
        SvmError::SingleClass { .. } => "INVALID_LABELS",
        _ => "INVALID_PARAMETER",
    };
    coded(code, e)
}

pub fn search_error(e: SearchError) -> Error {
    match e {
        SearchError::Svm { source, .. } if matches!(source, SvmError::Data(_)) => coded("INVALID_DATA", source),
        SearchError::Svm { config, source } => {
            let inner = svm_error(source);
            Error::new(inner.status, inner.reason.replacen("] ", &format!("] configuration {config}: "), 1))
        }
        SearchError::Data(e) => data_error(e),
        other => coded("INVALID_SPLIT", other),
    }
}

pub fn split_error(e: SplitError) -> Error {
    coded("INVALID_SPLIT", e)
}
