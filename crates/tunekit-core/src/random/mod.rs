//! Every random stream of tunekit-core, in one module. Each one is seeded
//! and keyed (see [`seed`]), so one seed gives the same answer on every
//! platform, thread count and run.
//!
//! - [`mt19937`]: numpy's legacy `RandomState` (MT19937), draw for draw,
//!   for scikit-learn's folds, splits and `ParameterSampler`, and for
//!   [`Space::random_points`](crate::space::Space::random_points).
//! - [`fast`]: xoshiro256++ ([`FastRng`]), the genetic algorithm's generator.
//! - [`sobol`]: Owen-scrambled Sobol points ([`sobol_point`]): the
//!   acquisition's candidates and initial design, `Space::sobol_points`, the
//!   GA's Sobol initial population.
//! - [`mt64`]: MT19937-64, the Gaussian process's restart points and the
//!   acquisition's local candidates.
//! - [`seed`]: SplitMix64 mixing and the derivation of every keyed stream.
//!
//! Nothing here depends on another module of the crate.

pub mod fast;
pub mod mt19937;
pub mod mt64;
pub mod seed;
pub mod sobol;

pub use fast::FastRng;
pub use mt19937::{NumpyRandomState, DEFAULT_SEED};
pub use mt64::Mt64Rng;
pub use sobol::sobol_point;
