//! Typed arrays in, validated core matrices and labels out.

use napi::bindgen_prelude::{Float64Array, Uint32Array};
use napi::Result;
use tunekit_core::data::{Labels, Matrix};

use crate::error::js;

/// Copies a row-major Float64Array once into a validated matrix.
pub fn to_matrix(x: &Float64Array, rows: u32, cols: u32) -> Result<Matrix> {
    Matrix::new(x.to_vec(), rows as usize, cols as usize).map_err(js)
}

/// Copies class codes once into validated labels.
pub fn to_labels(y: &Uint32Array, n_classes: u32) -> Result<Labels> {
    Labels::new(y.to_vec(), n_classes as usize).map_err(js)
}

/// Row indices from JavaScript.
pub fn to_indices(v: &Uint32Array) -> Vec<usize> {
    v.iter().map(|&i| i as usize).collect()
}

/// Row indices to JavaScript.
pub fn from_indices(v: &[usize]) -> Uint32Array {
    Uint32Array::new(v.iter().map(|&i| i as u32).collect())
}
