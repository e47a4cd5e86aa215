//! # tunekit-core
//!
//! The numerical core of tunekit, in pure Rust (no N-API anywhere in this
//! crate). The Node.js binding (`tunekit-node`) only converts types and errors.
//!
//! - [`data`]: validated dense matrices and class labels shared by every algorithm.
//! - [`svm`]: C-support vector classification solved by SMO with second-order
//!   working-set selection (Fan, Chen & Lin, *Working Set Selection Using Second
//!   Order Information for Training SVM*, JMLR 6, 2005), one-vs-one multi-class.
//! - [`space`]: the shared search-space format and its unit-cube encoding.
//! - [`model_selection`]: folds and splits compatible with scikit-learn, and the
//!   parallel search over configurations × folds.
//! - [`ga`]: genetic algorithms (SBX, polynomial mutation, BLX-α, NSGA-II) over a [`space::Space`].
pub mod data;
pub mod ga;
pub mod model_selection;
pub mod space;
pub mod svm;
