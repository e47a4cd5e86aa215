//! CMA-ES: conversions of options and states, and the three steps of a run
//! (init, ask, tell) off the event loop. States cross as the core's flat
//! `Float64Array` ([`tunekit_core::cmaes::CmaState::to_flat`]).

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::cmaes::{
    self, CmaOptions, CmaState, Proposal, RestartStrategy, StopReason, Told,
};
use tunekit_core::space::Space;

use crate::error::{js, no_panic, Code, ConvertError};
use crate::space::{to_space, ParamSpec};

/// What happens when a run stagnates.
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmaRestartStrategy {
    None,
    Ipop,
}

impl From<CmaRestartStrategy> for RestartStrategy {
    fn from(r: CmaRestartStrategy) -> Self {
        match r {
            CmaRestartStrategy::None => RestartStrategy::None,
            CmaRestartStrategy::Ipop => RestartStrategy::Ipop,
        }
    }
}

/// Settings of a run; a field left out takes the core's default.
#[napi(object)]
#[derive(Clone, Default)]
pub struct CmaSettings {
    /// initial step size in the unit cube (default 1/6)
    pub sigma0: Option<f64>,
    /// λ of the first run (default 4 + ⌊3 ln n⌋)
    pub popsize: Option<f64>,
    /// diagonal covariance (default false)
    pub use_separable_cma: Option<bool>,
    /// margin for integer and stepped parameters (default false)
    pub with_margin: Option<bool>,
    /// default 'none'
    pub restart_strategy: Option<CmaRestartStrategy>,
    /// λ factor at each IPOP restart (default 2)
    pub inc_popsize: Option<f64>,
    /// redraws of a candidate outside the cube before clipping (default 10 n)
    pub n_max_resampling: Option<f64>,
}

fn count(name: &str, v: f64) -> Result<usize> {
    if v.fract() != 0.0 || !v.is_finite() || !(0.0..=9.0e15).contains(&v) {
        return Err(js(ConvertError::Integer {
            what: name.into(),
            value: v,
            expected: "a non-negative integer",
            code: Code::InvalidParameter,
        }));
    }
    Ok(v as usize)
}

fn to_options(s: &CmaSettings) -> Result<CmaOptions> {
    let d = CmaOptions::default();
    Ok(CmaOptions {
        sigma0: s.sigma0,
        popsize: s.popsize.map(|p| count("popsize", p)).transpose()?,
        separable: s.use_separable_cma.unwrap_or(d.separable),
        with_margin: s.with_margin.unwrap_or(d.with_margin),
        restart: s.restart_strategy.map_or(d.restart, Into::into),
        inc_popsize: s
            .inc_popsize
            .map(|p| count("incPopsize", p))
            .transpose()?
            .unwrap_or(d.inc_popsize),
        n_max_resampling: s
            .n_max_resampling
            .map(|p| count("nMaxResampling", p))
            .transpose()?,
    })
}

/// Checks settings (ranges and combinations) without a space; `warm_start`:
/// whether the first run will start from a warm start.
#[napi(catch_unwind)]
pub fn cmaes_check_options(options: CmaSettings, warm_start: bool) -> Result<()> {
    to_options(&options)?.check(warm_start).map_err(js)
}

/// A state and what the last step did to its run.
#[napi(object)]
pub struct CmaStateInfo {
    /// the flat state, to store and pass back
    pub state: Float64Array,
    /// λ of the state's generation
    pub popsize: u32,
    /// the generation the state proposes (0 for a first state)
    pub epoch: f64,
    pub restarts: u32,
    pub sigma: f64,
    /// whether this step restarted the run (IPOP)
    pub restarted: bool,
    /// the termination criterion that held after this step, if any
    pub stop: Option<String>,
}

fn stop_name(s: StopReason) -> &'static str {
    match s {
        StopReason::TolFun => "tolfun",
        StopReason::TolX => "tolx",
        StopReason::TolXUp => "tolxup",
        StopReason::NoEffectCoordinate => "noeffectcoord",
        StopReason::NoEffectAxis => "noeffectaxis",
        StopReason::ConditionCov => "conditioncov",
    }
}

/// A task's state before it becomes JavaScript values.
pub struct StateOut {
    state: CmaState,
    restarted: bool,
    stop: Option<StopReason>,
}

impl StateOut {
    fn into_js(self) -> CmaStateInfo {
        CmaStateInfo {
            popsize: u32::try_from(self.state.popsize).unwrap_or(u32::MAX),
            epoch: self.state.epoch as f64,
            restarts: self.state.restarts,
            sigma: self.state.sigma,
            state: Float64Array::new(self.state.to_flat()),
            restarted: self.restarted,
            stop: self.stop.map(|s| stop_name(s).to_string()),
        }
    }
}

/// The first state of a run; with `warmPoints` (value form, row-major) and
/// `warmValues` (minimised), a warm start from another study's trials.
#[napi(object)]
pub struct CmaInitInput {
    pub space: Vec<ParamSpec>,
    pub options: CmaSettings,
    pub warm_points: Option<Float64Array>,
    pub warm_values: Option<Float64Array>,
    pub seed: u32,
}

pub struct CmaInitTask {
    space: Space,
    options: CmaOptions,
    warm: Option<(Vec<f64>, Vec<f64>)>,
    seed: u64,
}

impl Task for CmaInitTask {
    type Output = StateOut;
    type JsValue = CmaStateInfo;

    fn compute(&mut self) -> Result<StateOut> {
        no_panic(|| {
            let warm = self
                .warm
                .as_ref()
                .map(|(p, v)| (p.as_slice(), v.as_slice()));
            cmaes::init(&self.space, &self.options, warm, self.seed)
                .map(|state| StateOut {
                    state,
                    restarted: false,
                    stop: None,
                })
                .map_err(js)
        })
    }

    fn resolve(&mut self, _env: Env, out: StateOut) -> Result<CmaStateInfo> {
        Ok(out.into_js())
    }
}

/// The first state of a run (a warm start decomposes a covariance matrix: off the event loop).
#[napi(catch_unwind, ts_return_type = "Promise<CmaStateInfo>")]
pub fn cmaes_init(input: CmaInitInput) -> Result<AsyncTask<CmaInitTask>> {
    let warm = match (&input.warm_points, &input.warm_values) {
        (Some(p), Some(v)) => Some((p.to_vec(), v.to_vec())),
        (None, None) => None,
        _ => {
            return Err(js(ConvertError::Missing {
                what: "warmPoints and warmValues go together: one of them".into(),
                code: Code::InvalidData,
            }))
        }
    };
    Ok(AsyncTask::new(CmaInitTask {
        space: to_space(&input.space)?,
        options: to_options(&input.options)?,
        warm,
        seed: u64::from(input.seed),
    }))
}

/// Candidate `index` of a state's generation.
#[napi(object)]
pub struct CmaAskInput {
    pub space: Vec<ParamSpec>,
    pub options: CmaSettings,
    pub state: Float64Array,
    pub seed: u32,
    /// any number (a study uses the trial number)
    pub index: f64,
}

/// A candidate: its values (value form) and the raw draw the update is told.
#[napi(object)]
pub struct CmaCandidate {
    pub values: Float64Array,
    pub x: Float64Array,
}

pub struct CmaAskTask {
    space: Space,
    options: CmaOptions,
    state: Vec<f64>,
    seed: u64,
    index: u64,
}

impl Task for CmaAskTask {
    type Output = Proposal;
    type JsValue = CmaCandidate;

    fn compute(&mut self) -> Result<Proposal> {
        no_panic(|| {
            let state = CmaState::from_flat(&self.state).map_err(js)?;
            cmaes::ask(&self.space, &self.options, &state, self.seed, self.index).map_err(js)
        })
    }

    fn resolve(&mut self, _env: Env, p: Proposal) -> Result<CmaCandidate> {
        Ok(CmaCandidate {
            values: Float64Array::new(p.values),
            x: Float64Array::new(p.x),
        })
    }
}

/// One candidate (an eigendecomposition of C: off the event loop).
#[napi(catch_unwind, ts_return_type = "Promise<CmaCandidate>")]
pub fn cmaes_ask(input: CmaAskInput) -> Result<AsyncTask<CmaAskTask>> {
    Ok(AsyncTask::new(CmaAskTask {
        space: to_space(&input.space)?,
        options: to_options(&input.options)?,
        state: input.state.to_vec(),
        seed: u64::from(input.seed),
        index: count("index", input.index)? as u64,
    }))
}

/// A generation's λ solutions for its state.
#[napi(object)]
pub struct CmaTellInput {
    pub space: Vec<ParamSpec>,
    pub options: CmaSettings,
    pub state: Float64Array,
    /// λ × n raw draws, row-major
    pub xs: Float64Array,
    /// λ minimised values
    pub values: Float64Array,
    pub seed: u32,
}

pub struct CmaTellTask {
    space: Space,
    options: CmaOptions,
    state: Vec<f64>,
    xs: Vec<f64>,
    values: Vec<f64>,
    seed: u64,
}

impl Task for CmaTellTask {
    type Output = StateOut;
    type JsValue = CmaStateInfo;

    fn compute(&mut self) -> Result<StateOut> {
        no_panic(|| {
            let state = CmaState::from_flat(&self.state).map_err(js)?;
            let Told {
                state,
                stop,
                restarted,
            } = cmaes::tell(
                &self.space,
                &self.options,
                &state,
                &self.xs,
                &self.values,
                self.seed,
            )
            .map_err(js)?;
            Ok(StateOut {
                state,
                restarted,
                stop,
            })
        })
    }

    fn resolve(&mut self, _env: Env, out: StateOut) -> Result<CmaStateInfo> {
        Ok(out.into_js())
    }
}

/// The state of the next generation (IPOP may restart the run).
#[napi(catch_unwind, ts_return_type = "Promise<CmaStateInfo>")]
pub fn cmaes_tell(input: CmaTellInput) -> Result<AsyncTask<CmaTellTask>> {
    Ok(AsyncTask::new(CmaTellTask {
        space: to_space(&input.space)?,
        options: to_options(&input.options)?,
        state: input.state.to_vec(),
        xs: input.xs.to_vec(),
        values: input.values.to_vec(),
        seed: u64::from(input.seed),
    }))
}
