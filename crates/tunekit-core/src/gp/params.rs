//! Validated settings of a Gaussian-process regression.

use super::{GpError, KernelKind};
use crate::space::Space;

/// How the hyper-parameters are fitted (maximum marginal likelihood, or
/// maximum a posteriori with `priors`).
#[derive(Debug, Clone, PartialEq)]
pub struct Optimizer {
    /// Random log-uniform starting points in addition to the initial values.
    pub restarts: usize,
    /// Bounds of the signal variance σ².
    pub bounds_variance: (f64, f64),
    /// Bounds of every length scale.
    pub bounds_length_scale: (f64, f64),
    /// Bounds of the fitted noise variance (used when [`GpParams::noise`] is set).
    pub bounds_noise: (f64, f64),
    /// Seed of the random restarts.
    pub seed: u64,
    /// Add the log-priors of [`super::lml`] to the log marginal likelihood.
    pub priors: bool,
    /// Iteration cap of each L-BFGS run.
    pub max_iter: usize,
    /// Relative decrease of the objective below which a run stops.
    pub ftol: f64,
    /// Largest change of a log-parameter in the first step of each run (small for warm starts).
    pub initial_step: f64,
}

impl Default for Optimizer {
    /// scikit-learn's default bounds (1e-5, 1e5) for variance and length scales.
    fn default() -> Self {
        Self {
            restarts: 0,
            bounds_variance: (1e-5, 1e5),
            bounds_length_scale: (1e-5, 1e5),
            bounds_noise: (1e-6, 1.0),
            seed: 0,
            priors: false,
            max_iter: 200,
            ftol: 1e7 * f64::EPSILON,
            initial_step: 1.0,
        }
    }
}

/// Settings of a Gaussian-process regression.
///
/// The covariance is `variance · k(r) + (alpha + noise) · I` (see [`super::kernel`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GpParams {
    pub kernel: KernelKind,
    /// One length scale shared by every dimension (length 1), or one per dimension (ARD).
    /// Initial values when an optimizer is set.
    pub length_scale: Vec<f64>,
    /// Signal variance σ² (initial value when an optimizer is set).
    pub variance: f64,
    /// Fixed value added to the diagonal (scikit-learn's `alpha`), in the units of the
    /// (normalised, if `normalize_y`) targets.
    pub alpha: f64,
    /// A fitted noise variance added to the diagonal on top of `alpha`: its initial
    /// value, or `None` for no fitted noise. Without an optimizer it is kept as given.
    pub noise: Option<f64>,
    /// Standardise the targets (subtract the mean, divide by the standard deviation,
    /// 1 if that is 0) before the fit, and de-normalise predictions, as scikit-learn.
    pub normalize_y: bool,
    pub optimizer: Option<Optimizer>,
    /// When set, numerical dimensions go through [`Space::project`] inside the kernel
    /// (rounding of integer and stepped dimensions) and categorical dimensions use the
    /// overlap distance with their own length scale.
    pub space: Option<Space>,
}

impl Default for GpParams {
    fn default() -> Self {
        Self {
            kernel: KernelKind::Matern52,
            length_scale: vec![1.0],
            variance: 1.0,
            alpha: 1e-10,
            noise: None,
            normalize_y: false,
            optimizer: None,
            space: None,
        }
    }
}

fn positive(name: impl Into<String>, v: f64) -> Result<(), GpError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(GpError::NotPositive {
            name: name.into(),
            value: v,
        })
    }
}

fn bounds(name: &'static str, (lo, hi): (f64, f64)) -> Result<(), GpError> {
    if lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi {
        Ok(())
    } else {
        Err(GpError::InvalidBounds { name, lo, hi })
    }
}

impl GpParams {
    /// Checks every setting that does not depend on the data.
    pub fn check(&self) -> Result<(), GpError> {
        if self.length_scale.is_empty() {
            return Err(GpError::LengthScaleCount {
                d: self.space.as_ref().map_or(1, Space::len),
                got: 0,
            });
        }
        for (i, &l) in self.length_scale.iter().enumerate() {
            positive(format!("length_scale[{i}]"), l)?;
        }
        positive("variance", self.variance)?;
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(GpError::InvalidAlpha(self.alpha));
        }
        if let Some(noise) = self.noise {
            positive("noise", noise)?;
        }
        if let Some(o) = &self.optimizer {
            bounds("variance", o.bounds_variance)?;
            bounds("length_scale", o.bounds_length_scale)?;
            bounds("noise", o.bounds_noise)?;
            if o.max_iter == 0 {
                return Err(GpError::ZeroIterations);
            }
            if !(o.ftol >= 0.0 && o.ftol.is_finite()) {
                return Err(GpError::InvalidSetting {
                    name: "optimizer.ftol",
                    value: o.ftol,
                });
            }
            if !(o.initial_step > 0.0 && o.initial_step.is_finite()) {
                return Err(GpError::InvalidSetting {
                    name: "optimizer.initial_step",
                    value: o.initial_step,
                });
            }
        }
        Ok(())
    }

    /// Checks the settings against data of dimension `d`.
    pub(crate) fn check_dims(&self, d: usize) -> Result<(), GpError> {
        self.check()?;
        if self.length_scale.len() != 1 && self.length_scale.len() != d {
            return Err(GpError::LengthScaleCount {
                d,
                got: self.length_scale.len(),
            });
        }
        if let Some(s) = &self.space {
            if s.len() != d {
                return Err(GpError::SpaceMismatch { space: s.len(), d });
            }
        }
        Ok(())
    }

    /// Number of hyper-parameters: length scales, variance, and noise if fitted.
    pub fn n_hyper(&self) -> usize {
        self.length_scale.len() + 1 + usize::from(self.noise.is_some())
    }

    /// The initial hyper-parameters in log space: `[ln l…, ln σ², (ln σ_n²)]`.
    pub fn theta(&self) -> Vec<f64> {
        let mut t: Vec<f64> = self.length_scale.iter().map(|l| l.ln()).collect();
        t.push(self.variance.ln());
        if let Some(noise) = self.noise {
            t.push(noise.ln());
        }
        t
    }
}
