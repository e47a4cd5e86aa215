//! The tree-structured Parzen estimator: one stateless proposal per call.

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint8Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::ga;
use tunekit_core::space::Space;
use tunekit_core::tpe::{propose, Outcome, TpeError, TpeOptions};

use crate::error::{js, no_panic};
use crate::ga::Direction;
use crate::space::{to_space, ParamSpec};

/// The history of one proposal, one entry per trial in trial order.
/// `outcomes[i]`: 0 complete, 1 pruned, 2 running (constant liar), 3 infeasible.
#[napi(object)]
pub struct TpeInput {
    pub space: Vec<ParamSpec>,
    /// `n × d` values (value form; NaN where a trial lacks the parameter)
    pub points: Float64Array,
    pub outcomes: Uint8Array,
    /// `n × m`: a complete trial's values; a pruned trial's last reported value in column 0 (NaN: none)
    pub values: Float64Array,
    /// a pruned trial's last reported step (NaN: none); an infeasible trial's total violation
    pub extra: Float64Array,
    pub directions: Vec<Direction>,
    pub seed: u32,
    /// left out: the core's default (24)
    pub n_candidates: Option<u32>,
    /// left out: the core's default (1)
    pub prior_weight: Option<f64>,
    /// left out: the core's default (false)
    pub consider_endpoints: Option<bool>,
    /// left out: the core's default (true)
    pub consider_magic_clip: Option<bool>,
}

struct Request {
    space: Space,
    points: Vec<f64>,
    outcomes: Vec<Outcome>,
    directions: Vec<ga::Direction>,
    options: TpeOptions,
    seed: u64,
}

fn to_request(input: &TpeInput) -> Result<Request> {
    let space = to_space(&input.space)?;
    let n = input.outcomes.len();
    let m = input.directions.len().max(1);
    if input.values.len() != n * m || input.extra.len() != n {
        return Err(js(TpeError::Shape {
            what: "values and extra",
            len: input.values.len() + input.extra.len(),
            width: n * m + n,
        }));
    }
    let outcomes = input
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let row = &input.values[i * m..(i + 1) * m];
            let extra = input.extra[i];
            match kind {
                0 => Ok(Outcome::Complete(row.to_vec())),
                1 => Ok(Outcome::Pruned(
                    (!extra.is_nan() && !row[0].is_nan()).then_some((extra, row[0])),
                )),
                2 => Ok(Outcome::Running),
                3 => Ok(Outcome::Infeasible(extra)),
                k => Err(js(TpeError::Observation {
                    value: f64::from(k),
                    what: "an outcome code 0–3".into(),
                })),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let mut options = TpeOptions::default();
    if let Some(c) = input.n_candidates {
        options.n_candidates = c as usize;
    }
    if let Some(w) = input.prior_weight {
        options.prior_weight = w;
    }
    if let Some(e) = input.consider_endpoints {
        options.consider_endpoints = e;
    }
    if let Some(c) = input.consider_magic_clip {
        options.consider_magic_clip = c;
    }
    Ok(Request {
        space,
        points: input.points.to_vec(),
        outcomes,
        directions: input.directions.iter().map(|&d| d.into()).collect(),
        options,
        seed: u64::from(input.seed),
    })
}

fn run(r: &Request) -> Result<Vec<f64>> {
    propose(
        &r.space,
        &r.points,
        &r.outcomes,
        &r.directions,
        &r.options,
        r.seed,
    )
    .map(|p| p.point)
    .map_err(js)
}

pub struct TpeTask {
    req: Request,
}

impl Task for TpeTask {
    type Output = Vec<f64>;
    type JsValue = Float64Array;

    fn compute(&mut self) -> Result<Vec<f64>> {
        no_panic(|| run(&self.req))
    }

    fn resolve(&mut self, _env: Env, output: Vec<f64>) -> Result<Float64Array> {
        Ok(Float64Array::new(output))
    }
}

/// The TPE proposal for the whole space (value form), off the event loop.
#[napi(catch_unwind, ts_return_type = "Promise<Float64Array>")]
pub fn tpe_propose(input: TpeInput) -> Result<AsyncTask<TpeTask>> {
    Ok(AsyncTask::new(TpeTask {
        req: to_request(&input)?,
    }))
}

/// The same proposal on the calling thread: for one define-by-run parameter,
/// whose value `suggest` returns synchronously (a proposal over one parameter
/// costs tens of microseconds per thousand trials).
#[napi(catch_unwind)]
pub fn tpe_propose_sync(input: TpeInput) -> Result<Float64Array> {
    Ok(Float64Array::new(run(&to_request(&input)?)?))
}
