//! CMA-ES, the covariance matrix adaptation evolution strategy (Hansen, *The
//! CMA Evolution Strategy: A Tutorial*, arXiv:1604.00772, 2016), with the
//! tutorial's defaults as the `cmaes` package and Optuna's `CmaEsSampler`
//! use them, over the unit cube of a space's numeric parameters
//! ([`encoding`]: log scales in log space):
//!
//! - [`strategy`]: λ = 4 + ⌊3 ln n⌋, μ = λ/2, logarithmic (and negative)
//!   weights, c_σ, d_σ, c_c, c₁, c_μ; and sep-CMA-ES's (Ros & Hansen 2008);
//! - [`sample`]: candidates redrawn while outside the cube, then clipped;
//! - [`update`]: recombination, step-size control, h_σ, rank-one and rank-μ
//!   updates (full or diagonal covariance);
//! - [`margin`]: CMA-ES with margin for integer and stepped parameters
//!   (Hamano et al., GECCO 2022);
//! - [`stop`]: the `cmaes` package's termination criteria, which trigger
//!   IPOP restarts (Auger & Hansen, CEC 2005) with λ multiplied each time;
//! - [`warm_start`]: WS-CMA-ES's initial distribution from another task's
//!   solutions (Nomura et al., AAAI 2021);
//! - [`state`]: the run's state as plain vectors and counters, serialised
//!   to one `Vec<f64>`.
//!
//! The entry points are pure functions of (space, options, state, seed):
//! [`init`] makes a run's first state, [`ask`] draws candidate `index` of
//! the state's generation from its own random stream (the same whoever
//! draws it, in whatever order), and [`tell`] updates the state with one
//! generation's λ solutions (restarting it under IPOP). Values are
//! minimised.

pub mod eigen;
pub mod encoding;
pub mod margin;
pub mod options;
pub mod sample;
pub mod state;
pub mod stop;
pub mod strategy;
pub mod update;
pub mod warm_start;

use thiserror::Error;

use crate::random::seed::{mix64, GOLDEN};
use crate::random::FastRng;
use crate::space::{Space, SpaceError};
pub use encoding::Layout;
pub use options::{default_popsize, CmaOptions, RestartStrategy};
pub use state::CmaState;
pub use stop::StopReason;
pub use strategy::{Kind, Strategy};

/// Errors of CMA-ES requests.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CmaError {
    #[error("sigma0 must be a positive finite number, got {0}")]
    Sigma0(f64),
    #[error("popsize must be an integer in [2, {max}], got {0}", max = options::MAX_POPSIZE)]
    Popsize(usize),
    #[error("incPopsize must be an integer in [2, 1024], got {0}")]
    IncPopsize(usize),
    #[error("nMaxResampling must be at least 1, got 0")]
    Resampling,
    #[error("{first} cannot be combined with {second}")]
    Incompatible {
        first: &'static str,
        second: &'static str,
    },
    #[error("parameter {name:?} is categorical: CMA-ES searches numeric parameters only")]
    Categorical { name: String },
    #[error("the stored CMA-ES state is not valid: {0}")]
    State(String),
    #[error("the CMA-ES state does not fit this space and these options: {0}")]
    StateMismatch(String),
    #[error("a generation is told with {got} solutions, expected λ = {expected}")]
    Solutions { got: usize, expected: usize },
    #[error("{what} has {len} numbers, which is not {width} per solution")]
    Shape {
        what: &'static str,
        len: usize,
        width: usize,
    },
    #[error("{what} contains {value}, expected finite numbers")]
    NonFinite { what: &'static str, value: f64 },
    #[error("a warm start needs at least 10 source solutions (the best 10 % of them give the distribution), got {got}")]
    WarmStartTooFew { got: usize },
    #[error("the warm start's source solutions give a degenerate distribution")]
    WarmStartDegenerate,
    #[error(transparent)]
    Space(#[from] SpaceError),
}

/// Smallest initial step size (Optuna's `_EPS`).
pub const MIN_SIGMA0: f64 = 1e-10;

/// The unit-cube layout of `space` under `options` (numeric parameters only).
pub fn layout(space: &Space, options: &CmaOptions) -> Result<Layout, CmaError> {
    Layout::new(space, options.with_margin)
}

fn kind_of(options: &CmaOptions) -> Kind {
    if options.separable {
        Kind::Separable
    } else {
        Kind::Full
    }
}

/// The first state of a run over `space`: mean at the cube's centre, σ₀ and
/// C = I; or, with `warm` = (source points in value form, row-major; their
/// minimised values), WS-CMA-ES's distribution.
pub fn init(
    space: &Space,
    options: &CmaOptions,
    warm: Option<(&[f64], &[f64])>,
    seed: u64,
) -> Result<CmaState, CmaError> {
    let _ = seed; // the first state is deterministic; kept for symmetry with restarts
    options.check(warm.is_some())?;
    let layout = layout(space, options)?;
    let n = layout.len();
    let kind = kind_of(options);
    let popsize = options.initial_popsize(n);
    let margin = options.with_margin && layout.has_grid();
    let term = Strategy::new(kind, n, popsize).funhist_term;
    let state = match warm {
        None => CmaState::new(
            kind,
            vec![0.5; n],
            options.initial_sigma().max(MIN_SIGMA0),
            None,
            popsize,
            term,
            margin,
        ),
        Some((points, values)) => {
            if points.len() != values.len() * n {
                return Err(CmaError::Shape {
                    what: "the warm start's points",
                    len: points.len(),
                    width: n,
                });
            }
            if let Some(&v) = values.iter().find(|v| v.is_nan()) {
                return Err(CmaError::NonFinite {
                    what: "the warm start's values",
                    value: v,
                });
            }
            let rows = points
                .chunks(n)
                .map(|row| {
                    space.check_point(row)?;
                    Ok(layout.encode(row))
                })
                .collect::<Result<Vec<_>, CmaError>>()?;
            let ws = warm_start::warm_start(&rows, values, n)?;
            CmaState::new(
                kind,
                ws.mean,
                ws.sigma.max(MIN_SIGMA0),
                Some(ws.cov),
                popsize,
                term,
                margin,
            )
        }
    };
    Ok(state)
}

fn check_state(layout: &Layout, options: &CmaOptions, state: &CmaState) -> Result<(), CmaError> {
    let mismatch = |what: String| Err(CmaError::StateMismatch(what));
    if state.n != layout.len() {
        return mismatch(format!(
            "the state has {} dimensions, the space {} numeric parameters",
            state.n,
            layout.len()
        ));
    }
    if state.kind != kind_of(options) {
        return mismatch(format!(
            "the state is {:?}, the options ask for {:?}",
            state.kind,
            kind_of(options)
        ));
    }
    if state.margin_a.is_empty() == (options.with_margin && layout.has_grid()) {
        return mismatch("the state and the options disagree on the margin".into());
    }
    let term = Strategy::new(state.kind, state.n, state.popsize).funhist_term;
    if state.funhist.len() != 2 * term {
        return mismatch(format!(
            "a value history of {} numbers, expected {}",
            state.funhist.len(),
            2 * term
        ));
    }
    Ok(())
}

/// The random stream of candidate `index` of generation `epoch`.
fn candidate_key(seed: u64, epoch: u64, index: u64) -> u64 {
    mix64(
        mix64(seed ^ 0xC3A5_C85C_97CB_3127)
            ^ mix64(epoch.wrapping_add(GOLDEN))
            ^ index.wrapping_mul(GOLDEN).rotate_left(29),
    )
}

/// A proposed point: its values (value form) and the raw draw to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub values: Vec<f64>,
    pub x: Vec<f64>,
}

/// Candidate `index` of the state's generation (any `index`: the trial
/// number in a study): a function of (space, options, state, seed, index).
pub fn ask(
    space: &Space,
    options: &CmaOptions,
    state: &CmaState,
    seed: u64,
    index: u64,
) -> Result<Proposal, CmaError> {
    options.check(false)?;
    let layout = layout(space, options)?;
    check_state(&layout, options, state)?;
    let grid: Vec<Option<usize>> = (0..layout.len()).map(|i| layout.levels(i)).collect();
    let eig = eigen::decompose(state);
    let mut rng = FastRng::new(candidate_key(seed, state.epoch, index));
    let c = sample::sample(state, &eig, &grid, options.resamplings(state.n), &mut rng);
    Ok(Proposal {
        values: layout.decode(&c.encoded),
        x: c.x,
    })
}

/// The state after a generation, and what happened to the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Told {
    pub state: CmaState,
    /// The criterion that stopped the run, if one did.
    pub stop: Option<StopReason>,
    /// Whether the run was restarted (IPOP) after it stopped.
    pub restarted: bool,
}

/// Updates `state` with its generation: `xs` the λ raw draws (row-major,
/// as [`ask`] gave them), `values` their minimised values. Under IPOP a run
/// that meets a termination criterion restarts: mean drawn uniformly in the
/// cube (from the seed and the restart's number), σ₀, C = I, λ × incPopsize.
pub fn tell(
    space: &Space,
    options: &CmaOptions,
    state: &CmaState,
    xs: &[f64],
    values: &[f64],
    seed: u64,
) -> Result<Told, CmaError> {
    options.check(false)?;
    let layout = layout(space, options)?;
    check_state(&layout, options, state)?;
    let n = state.n;
    if values.len() != state.popsize {
        return Err(CmaError::Solutions {
            got: values.len(),
            expected: state.popsize,
        });
    }
    if xs.len() != values.len() * n {
        return Err(CmaError::Shape {
            what: "xs",
            len: xs.len(),
            width: n,
        });
    }
    if let Some(&v) = xs.iter().find(|v| !v.is_finite() || v.abs() >= 1e32) {
        return Err(CmaError::NonFinite {
            what: "xs",
            value: v,
        });
    }
    if let Some(&v) = values.iter().find(|v| v.is_nan()) {
        return Err(CmaError::NonFinite {
            what: "values",
            value: v,
        });
    }
    let rows: Vec<Vec<f64>> = xs.chunks(n).map(<[f64]>::to_vec).collect();
    let s = Strategy::new(state.kind, n, state.popsize);
    let mut next = state.clone();
    update::update(&mut next, &s, &rows, values);
    if !next.margin_a.is_empty() {
        let grid: Vec<Option<usize>> = (0..n).map(|i| layout.levels(i)).collect();
        let alpha = 1.0 / (n as f64 * state.popsize as f64);
        margin::correct(&mut next, &grid, alpha);
    }
    let stop = stop::should_stop(&next, &s);
    if stop.is_some() && options.restart == RestartStrategy::Ipop {
        let restarts = next.restarts + 1;
        let popsize = (next.popsize.saturating_mul(options.inc_popsize)).min(options::MAX_POPSIZE);
        let mut rng =
            FastRng::new(mix64(seed ^ 0x1F83_D9AB_FB41_BD6B) ^ mix64(u64::from(restarts)));
        let mean: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        let term = Strategy::new(next.kind, n, popsize).funhist_term;
        let mut fresh = CmaState::new(
            next.kind,
            mean,
            options.initial_sigma().max(MIN_SIGMA0),
            None,
            popsize,
            term,
            !next.margin_a.is_empty(),
        );
        fresh.epoch = next.epoch;
        fresh.restarts = restarts;
        return Ok(Told {
            state: fresh,
            stop,
            restarted: true,
        });
    }
    Ok(Told {
        state: next,
        stop,
        restarted: false,
    })
}
