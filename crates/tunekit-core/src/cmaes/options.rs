//! The settings of a CMA-ES run and their validation (the core owns every
//! default and range rule; the binding and TypeScript pass them through).

use super::CmaError;

/// What happens when a run stagnates (the termination criteria of
/// [`super::stop::should_stop`] hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RestartStrategy {
    /// Go on with the converged distribution (Optuna's CmaEsSampler, the
    /// `cmaes` package without a restart loop).
    #[default]
    None,
    /// IPOP-CMA-ES (Auger & Hansen, *A Restart CMA Evolution Strategy With
    /// Increasing Population Size*, CEC 2005): start again from a uniformly
    /// drawn mean with the initial step size and the population multiplied
    /// by [`CmaOptions::inc_popsize`].
    Ipop,
}

/// Settings of a CMA-ES run in the unit cube of the numeric parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CmaOptions {
    /// Initial step size in the unit cube. `None`: 1/6 (Optuna's
    /// `min(upper − lower) / 6` on the [0, 1] scale); with a warm start, the
    /// warm start's own step size.
    pub sigma0: Option<f64>,
    /// Population size λ of the first run. `None`: 4 + ⌊3 ln n⌋ (Hansen 2016, eq. 48).
    pub popsize: Option<usize>,
    /// Separable CMA-ES (Ros & Hansen 2008): a diagonal covariance matrix.
    pub separable: bool,
    /// CMA-ES with margin (Hamano et al. 2022) for integer and stepped
    /// parameters: the marginal probability of every discretised coordinate
    /// stays at least α = 1/(nλ).
    pub with_margin: bool,
    /// Restarts after stagnation.
    pub restart: RestartStrategy,
    /// Factor of the population size at each IPOP restart. Default 2.
    pub inc_popsize: usize,
    /// Resamplings of a candidate outside the unit cube before it is clipped
    /// into it. `None`: 10 n (Optuna's setting of the `cmaes` package).
    pub n_max_resampling: Option<usize>,
}

impl Default for CmaOptions {
    fn default() -> Self {
        Self {
            sigma0: None,
            popsize: None,
            separable: false,
            with_margin: false,
            restart: RestartStrategy::None,
            inc_popsize: 2,
            n_max_resampling: None,
        }
    }
}

/// Largest population size accepted (far beyond any useful IPOP restart).
pub const MAX_POPSIZE: usize = 1 << 20;

impl CmaOptions {
    /// Checks the settings; `warm_start` tells whether the first run starts
    /// from a warm start (which gives its own step size and full covariance).
    pub fn check(&self, warm_start: bool) -> Result<(), CmaError> {
        if let Some(s) = self.sigma0 {
            if !(s.is_finite() && s > 0.0) {
                return Err(CmaError::Sigma0(s));
            }
            if warm_start {
                return Err(CmaError::Incompatible {
                    first: "sigma0",
                    second: "a warm start (the warm start gives the step size)",
                });
            }
        }
        if let Some(p) = self.popsize {
            if !(2..=MAX_POPSIZE).contains(&p) {
                return Err(CmaError::Popsize(p));
            }
        }
        if !(2..=1024).contains(&self.inc_popsize) {
            return Err(CmaError::IncPopsize(self.inc_popsize));
        }
        if self.separable && self.with_margin {
            return Err(CmaError::Incompatible {
                first: "useSeparableCma",
                second: "withMargin",
            });
        }
        if self.separable && warm_start {
            return Err(CmaError::Incompatible {
                first: "useSeparableCma",
                second: "a warm start (it estimates a full covariance matrix)",
            });
        }
        if self.n_max_resampling == Some(0) {
            return Err(CmaError::Resampling);
        }
        Ok(())
    }

    /// The initial step size of a run without a warm start.
    pub fn initial_sigma(&self) -> f64 {
        self.sigma0.unwrap_or(1.0 / 6.0)
    }

    /// λ of the first run in `n` dimensions.
    pub fn initial_popsize(&self, n: usize) -> usize {
        self.popsize.unwrap_or_else(|| default_popsize(n))
    }

    /// Resamplings before clipping, in `n` dimensions.
    pub fn resamplings(&self, n: usize) -> usize {
        self.n_max_resampling.unwrap_or(10 * n)
    }
}

/// λ = 4 + ⌊3 ln n⌋ (Hansen 2016, eq. 48).
pub fn default_popsize(n: usize) -> usize {
    4 + (3.0 * (n.max(1) as f64).ln()).floor() as usize
}
