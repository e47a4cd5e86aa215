//! Bounded quasi-Newton minimisation: a projected L-BFGS.
//!
//! [`minimize`] minimises a smooth function subject to simple bounds
//! `lower ≤ x ≤ upper` (infinite bounds allowed). Each iteration
//!
//! 1. finds the *ε-active set* — coordinates on (or within ε of) a bound whose
//!    gradient pushes them outwards — as in Bertsekas' projected Newton method
//!    (D. P. Bertsekas, *Projected Newton methods for optimization problems with
//!    simple constraints*, SIAM J. Control Optim. 20(2), 1982);
//! 2. builds a quasi-Newton direction on the free coordinates with the L-BFGS
//!    two-loop recursion (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
//!    2006, Algorithm 7.4), the active coordinates held fixed;
//! 3. searches along the *projected path* `P(x + t·d)` with an Armijo
//!    backtracking line search (safeguarded quadratic interpolation), so every
//!    trial point is feasible.
//!
//! This is the projected L-BFGS family rather than the full L-BFGS-B of Byrd,
//! Lu, Nocedal & Zhu (1995, generalised Cauchy point + subspace minimisation):
//! simpler, and on the small problems of this crate (hyper-parameters,
//! acquisition polishing: < 100 variables) it reaches the same optima.
//!
//! Stopping rules follow SciPy's L-BFGS-B defaults in spirit: the projected
//! gradient's largest component below `pgtol`, a relative decrease of `f`
//! below `ftol`, or the iteration/evaluation budget spent. Non-finite
//! function values inside the line search are treated as "too far" and the
//! step is shortened, so an objective may return `f64::INFINITY` where it is
//! undefined.

mod error;
mod projected_lbfgs;

pub use error::OptimError;
pub use projected_lbfgs::{minimize, Minimum, Options};
