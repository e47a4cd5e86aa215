//! Acquisition functions of the posterior `(μ, σ)` at a point, for
//! maximisation, with their gradients through `∂μ/∂x`, `∂σ/∂x`.
//!
//! With incumbent `f*` (best observed target) and `z = (μ − f* − ξ)/σ`:
//!
//! - LogEI: `ln σ + ln h(z)`, `h(z) = φ(z) + zΦ(z)`, stable far into the tail
//!   (Ament et al. 2023; see [`super::normal`]). The default: expected
//!   improvement's ranking without its vanishing values and gradients.
//! - EI: `σ h(z)` (Jones, Schonlau & Welch 1998), gradient `Φ(z) ∂μ + φ(z) ∂σ`.
//! - PI: `Φ(z)` (Kushner 1964).
//! - UCB: `μ + κσ` (Srinivas et al. 2010).

use super::normal::{cdf, d_log_h, log_h, pdf};
use super::BoError;

/// Smallest posterior standard deviation used (in the units of the standardised targets).
pub(crate) const STD_FLOOR: f64 = 1e-9;

/// Which acquisition function to maximise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acquisition {
    /// Logarithm of expected improvement over `f* + xi` (the default, `xi = 0`).
    LogEi { xi: f64 },
    /// Expected improvement over `f* + xi`.
    Ei { xi: f64 },
    /// Probability of improvement over `f* + xi`.
    Pi { xi: f64 },
    /// Upper confidence bound `μ + kappa σ`.
    Ucb { kappa: f64 },
}

/// The `xi` of LogEI, EI and PI when none is given.
pub const DEFAULT_XI: f64 = 0.0;

/// The `kappa` of UCB when none is given (bayes_opt's default, the 99.5 %
/// normal quantile).
pub const DEFAULT_KAPPA: f64 = 2.576;

/// The kind of an [`Acquisition`], without its setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcquisitionKind {
    /// The default.
    #[default]
    LogEi,
    Ei,
    Pi,
    Ucb,
}

impl Default for Acquisition {
    /// LogEI with `xi` = [`DEFAULT_XI`].
    fn default() -> Self {
        Acquisition::new(AcquisitionKind::default(), None, None)
    }
}

impl Acquisition {
    /// The acquisition of `kind` with its setting: `xi` (LogEI, EI, PI;
    /// default [`DEFAULT_XI`]) or `kappa` (UCB; default [`DEFAULT_KAPPA`]).
    /// The setting the kind does not use is ignored.
    pub fn new(kind: AcquisitionKind, xi: Option<f64>, kappa: Option<f64>) -> Self {
        let xi = xi.unwrap_or(DEFAULT_XI);
        match kind {
            AcquisitionKind::LogEi => Acquisition::LogEi { xi },
            AcquisitionKind::Ei => Acquisition::Ei { xi },
            AcquisitionKind::Pi => Acquisition::Pi { xi },
            AcquisitionKind::Ucb => Acquisition::Ucb {
                kappa: kappa.unwrap_or(DEFAULT_KAPPA),
            },
        }
    }

    /// `xi` finite, `kappa` finite and ≥ 0.
    pub fn check(&self) -> Result<(), BoError> {
        match *self {
            Acquisition::LogEi { xi } | Acquisition::Ei { xi } | Acquisition::Pi { xi } => {
                if !xi.is_finite() {
                    return Err(BoError::InvalidSetting {
                        name: "xi",
                        value: xi,
                        reason: "must be a finite number",
                    });
                }
            }
            Acquisition::Ucb { kappa } => {
                if !(kappa.is_finite() && kappa >= 0.0) {
                    return Err(BoError::InvalidSetting {
                        name: "kappa",
                        value: kappa,
                        reason: "must be a finite number ≥ 0",
                    });
                }
            }
        }
        Ok(())
    }

    /// The acquisition value at posterior mean `mean`, standard deviation `std`, incumbent `best`.
    pub fn value(&self, mean: f64, std: f64, best: f64) -> f64 {
        let s = std.max(STD_FLOOR);
        match *self {
            Acquisition::LogEi { xi } => s.ln() + log_h((mean - best - xi) / s),
            Acquisition::Ei { xi } => {
                let z = (mean - best - xi) / s;
                s * (pdf(z) + z * cdf(z))
            }
            Acquisition::Pi { xi } => cdf((mean - best - xi) / s),
            Acquisition::Ucb { kappa } => mean + kappa * s,
        }
    }

    /// The value and its gradient given the posterior's gradients `d_mean`, `d_std`.
    pub fn value_and_grad(
        &self,
        mean: f64,
        std: f64,
        d_mean: &[f64],
        d_std: &[f64],
        best: f64,
        grad: &mut [f64],
    ) -> f64 {
        let floored = std < STD_FLOOR;
        let s = std.max(STD_FLOOR);
        let ds = |k: usize| if floored { 0.0 } else { d_std[k] };
        match *self {
            Acquisition::LogEi { xi } => {
                let z = (mean - best - xi) / s;
                let dlh = d_log_h(z);
                for k in 0..grad.len() {
                    grad[k] = ds(k) / s + dlh * (d_mean[k] - z * ds(k)) / s;
                }
                s.ln() + log_h(z)
            }
            Acquisition::Ei { xi } => {
                let z = (mean - best - xi) / s;
                let (c, p) = (cdf(z), pdf(z));
                for k in 0..grad.len() {
                    grad[k] = c * d_mean[k] + p * ds(k);
                }
                s * (p + z * c)
            }
            Acquisition::Pi { xi } => {
                let z = (mean - best - xi) / s;
                let p = pdf(z);
                for k in 0..grad.len() {
                    grad[k] = p * (d_mean[k] - z * ds(k)) / s;
                }
                cdf(z)
            }
            Acquisition::Ucb { kappa } => {
                for k in 0..grad.len() {
                    grad[k] = d_mean[k] + kappa * ds(k);
                }
                mean + kappa * s
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Acquisition::LogEi { .. } => "logei",
            Acquisition::Ei { .. } => "ei",
            Acquisition::Pi { .. } => "pi",
            Acquisition::Ucb { .. } => "ucb",
        }
    }
}
