//! Model selection: folds and splits that reproduce scikit-learn's, and the
//! parallel cross-validated search over configurations × folds.

/// One train/test split of a data set, as row indices into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

pub mod kfold;
pub mod ordered_split;
pub mod param_sampler;
pub mod search;
pub mod split_error;
pub mod stratified_kfold;
pub mod summary;
pub mod train_test_split;
