//! Gaussian-process regression with Matérn 5/2, Matérn 3/2 and RBF kernels.
//!
//! The algorithms are those of Rasmussen & Williams, *Gaussian Processes for
//! Machine Learning* (MIT Press, 2006): prediction by Cholesky factorisation
//! (Algorithm 2.1), the log marginal likelihood (eq. 2.30) and its gradient
//! (eq. 5.9), hyper-parameters by maximising it (ch. 5).
//!
//! - Kernel: `σ² k(r) + (alpha + σ_n²) I` with one length scale per dimension
//!   (ARD) or one shared ([`kernel`]). With a [`crate::space::Space`],
//!   integer/stepped dimensions are rounded inside the kernel
//!   ([`crate::space::Space::project`], Garrido-Merchán & Hernández-Lobato 2020)
//!   and categorical dimensions use the overlap distance `[a ≠ b]` with their own
//!   length scale.
//! - Targets optionally standardised as scikit-learn's `normalize_y`.
//! - Cholesky by faer (blocked; on the project's 2-core machine 4–8× faster than
//!   nalgebra's at n = 500–1000, its inverse 20–40× and its triangular solves
//!   6–17×: `examples/chol_bench.rs`), with growing jitter `1e-10 · mean diag`,
//!   ×10 per retry up to `1e-2 · mean diag`, when the matrix is not numerically
//!   positive definite (duplicate points).
//! - Hyper-parameters ([`lml`]): L-BFGS with bounds ([`crate::optim`]) in log
//!   space from the initial values plus random log-uniform restarts, run in
//!   parallel with rayon; optional log-priors.

mod error;
pub mod kernel;
pub mod lml;
mod params;
mod regression;

pub use error::GpError;
pub use kernel::KernelKind;
pub use params::{GpParams, Optimizer};
pub use regression::{fit, FittedGp, PointPosterior};
