//! # C-support vector classification
//!
//! A C-SVC trained by SMO (sequential minimal optimisation) with second-order
//! working-set selection, shrinking and a kernel cache, one-vs-one for several
//! classes. The algorithms are the published ones, implemented here from their
//! descriptions:
//!
//! - R.-E. Fan, P.-H. Chen, C.-J. Lin, *Working Set Selection Using Second Order
//!   Information for Training Support Vector Machines*, JMLR 6 (2005) 1889–1918
//!   (working-set selection "WSS 2");
//! - C.-C. Chang, C.-J. Lin, *LIBSVM: A Library for Support Vector Machines*,
//!   ACM TIST 2(3), 2011 (sub-problem update, shrinking, gradient reconstruction,
//!   computation of ρ, one-vs-one voting).
//!
//! The numerics follow LIBSVM as shipped in scikit-learn 1.2.1 to the last bit
//! where the inputs allow it: kernel values stored as `f32` with `f64`
//! gradients, the same tie-breaking in the working-set selection (later
//! positions win), the same order of swaps when shrinking, `gamma='scale'` from
//! NumPy's pairwise variance, dot products by fused multiply-adds below 16
//! features as OpenBLAS computes them. On the reference iris and wine grids every
//! fit has scikit-learn's iteration counts, support vectors and (bit-identical)
//! intercepts, so every cross-validated accuracy is equal; see
//! `tests/svc_reference.rs`. Differences from LIBSVM's own conventions:
//! `max_iter = None` caps each binary problem at `max(10⁷, 100·l)` iterations
//! (scikit-learn has no cap) and reports `converged() == false` if it is hit.
//!
//! Speed comes from computing kernels from one blocked dot-product matrix and
//! sharing each kernel matrix across folds, C values, class weights and class
//! pairs (see [`crate::model_selection::search`]), from solving on a private,
//! contiguous copy of each binary problem's kernel matrix, and from
//! working-set selection loops without unpredictable branches, compiled twice:
//! for baseline x86-64 and for AVX2 + FMA, chosen at run time with the same
//! results bit for bit (`isa.rs`, the crate's one `unsafe` call).
//!
//! Files: `params.rs` (parameters, defaults, validation), `error.rs`,
//! `kernel.rs` (kernel formulas), `gamma.rs` (`'scale'`/`'auto'`), `gram.rs`
//! (blocked Gram and kernel matrices), `isa.rs` (run-time choice of the
//! loops' instruction set), `kernel_cache.rs` (precomputed or LRU
//! kernel rows), `q_matrix.rs` (the solver's view of one binary problem),
//! `solver.rs` (SMO), `one_vs_one.rs` (pairs and voting), `svc.rs` (`fit`,
//! `SvcModel`).
//!
//! ```
//! use tunekit_core::data::{Labels, Matrix};
//! use tunekit_core::svm::{fit, SvcParams};
//!
//! let x = Matrix::from_rows(&[vec![0.0, 0.0], vec![0.1, 0.2], vec![1.0, 1.0], vec![0.9, 1.1]]).unwrap();
//! let y = Labels::new(vec![0, 0, 1, 1], 2).unwrap();
//! let model = fit(&SvcParams::default(), &x, &y).unwrap();
//! assert_eq!(model.predict(&x).unwrap(), vec![0, 0, 1, 1]);
//! ```

mod error;
mod gamma;
pub(crate) mod gram;
pub(crate) mod kernel;
mod kernel_cache;
pub(crate) mod one_vs_one;
mod params;
pub(crate) mod q_matrix;
mod solver;
mod svc;

pub use error::SvmError;
pub use params::{ClassWeight, Gamma, Kernel, SvcParams};
pub use svc::{fit, SvcModel};

pub(crate) use gamma::resolve_gamma;
pub(crate) use svc::fit_with;
