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
//! - [`gp`]: Gaussian-process regression (Matérn/RBF kernels, ARD, Cholesky with
//!   jitter, hyper-parameters by maximum marginal likelihood; Rasmussen & Williams 2006).
//! - [`acquisition`]: LogEI (Ament et al. 2023), EI, PI, UCB, their maximisation,
//!   and [`acquisition::propose`], the stateless Bayesian-optimisation step.
//! - [`optim`]: bounded quasi-Newton minimisation (projected L-BFGS).
//! - [`tpe`]: the tree-structured Parzen estimator (Bergstra et al. 2011) with
//!   Optuna's components: splits, Parzen estimators, candidate scoring.
//! - [`cmaes`]: CMA-ES (Hansen 2016) with sep-CMA, IPOP restarts, margin for
//!   integers and warm starts, over the unit cube of the numeric parameters.
//! - [`importance`]: parameter importance, PED-ANOVA (Watanabe et al. 2023) and
//!   fANOVA (Hutter et al. 2014) over a random forest.
//! - [`transfer`]: transfer across studies, the ranking-weighted Gaussian-process
//!   ensemble RGPE (Feurer, Letham & Bakshy 2018) used by [`acquisition::propose`].
//! - `isa` (crate-private): the run-time choice between the baseline x86-64
//!   build of the hottest loops (SMO selection, TPE scoring) and an AVX2 + FMA
//!   build of the same code, with bit-identical results.
//! - [`random`]: every random stream (numpy's MT19937, xoshiro256++, scrambled
//!   Sobol points, MT19937-64) and how they are seeded.
pub mod acquisition;
pub mod cmaes;
pub mod data;
pub mod ga;
pub mod gp;
pub mod importance;
mod isa;
pub mod model_selection;
pub mod optim;
pub mod random;
pub mod space;
pub mod svm;
pub mod tpe;
pub mod transfer;
