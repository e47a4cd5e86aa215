//! The tree-structured Parzen estimator (TPE; Bergstra, Bardenet, Bengio &
//! Kégl, *Algorithms for Hyper-Parameter Optimization*, NeurIPS 2011), with
//! the components and defaults of Optuna's `TPESampler` (Watanabe,
//! *Tree-Structured Parzen Estimator: Understanding Its Algorithm Components
//! and Their Roles for Better Empirical Performance*, 2023):
//!
//! 1. the history is split into the best `γ(n)` trials and the rest
//!    ([`split`]);
//! 2. a Parzen estimator `l` is fitted to the good points and `g` to the rest
//!    ([`parzen`]), each with a prior component;
//! 3. candidates are drawn from `l` and the one with the largest
//!    `ln l(x) − ln g(x)` is proposed ([`propose`]).
//!
//! Joint ("multivariate") TPE passes every parameter of the relative space at
//! once; independent TPE passes one parameter. Several objectives (MOTPE)
//! change only the split and give the good points equal weights. The
//! truncated normal kernels are in [`truncnorm`]. Everything is a function of
//! the history and the seed: no state is kept between proposals.

pub mod parzen;
pub mod split;
pub mod truncnorm;

use thiserror::Error;

use crate::ga::Direction;
use crate::random::FastRng;
use crate::space::Space;
use parzen::{default_weights, Kind, ParzenEstimator};
pub use split::{default_gamma, Outcome};

/// Errors of TPE requests.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TpeError {
    #[error("the space to propose is empty")]
    EmptySpace,
    #[error("{what} has {len} numbers, which is not a multiple of {width}")]
    Shape {
        what: &'static str,
        len: usize,
        width: usize,
    },
    #[error("{points} points for {trials} trials: give one point per trial")]
    Mismatch { points: usize, trials: usize },
    #[error("prior_weight must be a positive finite number, got {0}")]
    PriorWeight(f64),
    #[error("weights must be finite numbers ≥ 0")]
    Weights,
    #[error("a categorical parameter needs at least one choice")]
    NoChoices,
    #[error("an observation is {value}, expected {what}")]
    Observation { value: f64, what: String },
    #[error("a numeric parameter's range [{low}, {high}] is empty or not finite on its scale")]
    Range { low: f64, high: f64 },
    #[error("nCandidates must be at least 1")]
    NoCandidates,
    #[error("a trial has {got} values for {expected} objectives")]
    Values { expected: usize, got: usize },
}

/// Settings of a proposal (Optuna's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct TpeOptions {
    /// Candidates drawn from the good points' estimator. Default 24.
    pub n_candidates: usize,
    /// Weight of the prior component of each estimator. Default 1.
    pub prior_weight: f64,
    /// Whether the range's ends count as neighbours of the lowest and highest
    /// observation when their bandwidths are set (Optuna's
    /// `consider_endpoints`). Default false.
    pub consider_endpoints: bool,
    /// Whether bandwidths are clipped below at `range / min(100, kernels + 1)`
    /// (Optuna's `consider_magic_clip`); without it, at 1e-12. Default true.
    pub consider_magic_clip: bool,
}

impl Default for TpeOptions {
    fn default() -> Self {
        Self {
            n_candidates: 24,
            prior_weight: 1.0,
            consider_endpoints: false,
            consider_magic_clip: true,
        }
    }
}

/// The scored candidates of one proposal, for tests and diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The proposed point, as the space has values (category indices).
    pub point: Vec<f64>,
    /// Trial indices of the good and the other points.
    pub below: Vec<usize>,
    pub above: Vec<usize>,
}

/// The next point for `space` given the history: `points` holds one row of
/// `space.len()` values per trial (NaN where the trial lacks the parameter:
/// such a trial counts in the split but not in the estimators), `outcomes`
/// one [`Outcome`] per trial, in trial order.
pub fn propose(
    space: &Space,
    points: &[f64],
    outcomes: &[Outcome],
    directions: &[Direction],
    options: &TpeOptions,
    seed: u64,
) -> Result<Proposal, TpeError> {
    // The whole proposal on one of the pool's threads: its parallel loops
    // (estimators of a long history, candidate scoring) then split work there
    // instead of handing each loop over from the caller's thread and back.
    rayon::scope(|_| {
        let d = space.len();
        if d == 0 {
            return Err(TpeError::EmptySpace);
        }
        if !points.len().is_multiple_of(d) {
            return Err(TpeError::Shape {
                what: "points",
                len: points.len(),
                width: d,
            });
        }
        if points.len() / d != outcomes.len() {
            return Err(TpeError::Mismatch {
                points: points.len() / d,
                trials: outcomes.len(),
            });
        }
        if options.n_candidates == 0 {
            return Err(TpeError::NoCandidates);
        }
        let m = directions.len().max(1);
        for o in outcomes {
            if let Outcome::Complete(v) = o {
                if v.len() != m {
                    return Err(TpeError::Values {
                        expected: m,
                        got: v.len(),
                    });
                }
            }
        }
        let kinds: Vec<Kind> = space.params().iter().map(|p| Kind::of(&p.domain)).collect();
        let finished = outcomes
            .iter()
            .filter(|o| !matches!(o, Outcome::Running))
            .count();
        let (below, above) = split::split(outcomes, directions, default_gamma(finished, m));
        let rows = |idx: &[usize]| -> Vec<f64> {
            idx.iter()
                .map(|&i| &points[i * d..(i + 1) * d])
                .filter(|row| row.iter().all(|v| !v.is_nan()))
                .flatten()
                .copied()
                .collect()
        };
        let below_obs = rows(&below);
        let above_obs = rows(&above);
        // With several objectives the good points weigh the same.
        let below_weights = (m > 1).then(|| vec![1.0; below_obs.len() / d]);
        // Equal observations get their bandwidths in an order drawn from the
        // proposal's seed (see `ParzenEstimator::with_ties`).
        let mut rng = FastRng::new(seed);
        let l = ParzenEstimator::with_ties(
            &kinds,
            &below_obs,
            below_weights.as_deref(),
            options,
            Some(rng.next_u64()),
        )?;
        let g = ParzenEstimator::with_ties(
            &kinds,
            &above_obs,
            Some(&default_weights(above_obs.len() / d)),
            options,
            Some(rng.next_u64()),
        )?;
        let candidates = l.sample(&mut rng, options.n_candidates);
        let below_scores = l.log_pdf_many(&candidates);
        let above_scores = g.log_pdf_many(&candidates);
        let mut best = (0, f64::NEG_INFINITY);
        for (i, (lb, ab)) in below_scores.iter().zip(&above_scores).enumerate() {
            let score = lb - ab;
            if score > best.1 {
                best = (i, score);
            }
        }
        let point = candidates.into_iter().nth(best.0).unwrap_or_default();
        Ok(Proposal {
            point,
            below,
            above,
        })
    })
}
