//! Acquisition functions and their maximisation: the Bayesian-optimisation step.
//!
//! - [`Acquisition`]: LogEI (the default; Ament, Daulton, Eriksson, Balandat &
//!   Bakshy, *Unexpected Improvements to Expected Improvement for Bayesian
//!   Optimization*, NeurIPS 2023), EI with `xi`, PI with `xi`, UCB with `kappa`,
//!   each with its analytic gradient w.r.t. the encoded point.
//! - Maximisation over the encoded unit cube: scrambled Sobol candidates, the
//!   best polished by multi-start bounded L-BFGS in parallel, categorical and
//!   integer parameters by enumeration of neighbours (see `maximize.rs`).
//! - [`propose`]: the stateless step the samplers call — fit, maximise, and
//!   return a batch of distinct valid points (constant liar for pending points
//!   and batches).

mod error;
pub mod failure;
mod feasibility;
mod functions;
mod maximize;
pub mod normal;
mod propose;
mod warp;

pub use error::BoError;
pub use functions::{Acquisition, AcquisitionKind, DEFAULT_KAPPA, DEFAULT_XI};
pub(crate) use maximize::Surrogate;
pub(crate) use propose::fit_objective_gp;
pub use propose::{
    bo_gp_params, propose, Proposal, ProposeRequest, COLD_MAX_ITER, DEFAULT_CANDIDATES,
    DEFAULT_FIT_RESTARTS, DEFAULT_RESTARTS, FIT_SUBSET, MAX_BATCH, MAX_CANDIDATES, MAX_RESTARTS,
    RESTARTS_UP_TO, WARM_MAX_ITER,
};
pub(crate) use warp::warp_targets;
