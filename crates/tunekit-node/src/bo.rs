//! Bayesian optimisation: one stateless proposal per call.

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::acquisition::failure::FailureModel;
use tunekit_core::acquisition::{self, propose, Acquisition, BoError, Proposal, ProposeRequest};
use tunekit_core::gp::KernelKind;
use tunekit_core::transfer::BaseTask;

use crate::error::{js, no_panic, ConvertError};
use crate::gp::GpKernel;
use crate::space::{to_space, ParamSpec};

/// The acquisition function (core `AcquisitionKind`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcquisitionKind {
    LogEi,
    Ei,
    Pi,
    Ucb,
}

impl From<AcquisitionKind> for acquisition::AcquisitionKind {
    fn from(k: AcquisitionKind) -> Self {
        match k {
            AcquisitionKind::LogEi => acquisition::AcquisitionKind::LogEi,
            AcquisitionKind::Ei => acquisition::AcquisitionKind::Ei,
            AcquisitionKind::Pi => acquisition::AcquisitionKind::Pi,
            AcquisitionKind::Ucb => acquisition::AcquisitionKind::Ucb,
        }
    }
}

/// Everything a proposal depends on (points in value form, row-major).
#[napi(object)]
pub struct ProposeInput {
    pub space: Vec<ParamSpec>,
    pub points: Float64Array,
    /// one per point, to maximise
    pub targets: Float64Array,
    pub pending: Float64Array,
    pub n: u32,
    pub seed: u32,
    /// left out: the core's default (Matérn 5/2)
    pub kernel: Option<GpKernel>,
    /// left out: the core's default (LogEI)
    pub acquisition: Option<AcquisitionKind>,
    /// of LogEI, EI and PI; left out, the core's default (0)
    pub xi: Option<f64>,
    /// of UCB; left out, the core's default (2.576)
    pub kappa: Option<f64>,
    /// `hyper` of a previous proposal on the same space
    pub warm_start: Option<Float64Array>,
    pub n_candidates: Option<u32>,
    pub n_restarts: Option<u32>,
    pub fit_restarts: Option<u32>,
    /// constraint values, `nConstraints` per point, row-major (NaN: not given); left out, none
    pub constraints: Option<Float64Array>,
    /// values per point in `constraints`
    pub n_constraints: Option<u32>,
    /// points of failed trials (value form, row-major); left out, none
    pub failed: Option<Float64Array>,
    /// old studies to transfer from (RGPE); left out or empty, the plain GP
    pub transfer: Option<Vec<TransferTaskInput>>,
    /// one per parameter: the value every proposed point takes, NaN for a searched parameter; left out or empty, none fixed
    pub fixed: Option<Float64Array>,
}

/// One old study's observations for transfer (core `transfer::BaseTask`).
#[napi(object)]
pub struct TransferTaskInput {
    /// value form in the new space, row-major; NaN for a parameter the old study lacks
    pub points: Float64Array,
    /// one per point, to maximise
    pub targets: Float64Array,
}

/// Proposed points (value form, row-major), fitted hyper-parameters and acquisition values.
#[napi(object)]
pub struct ProposeOutput {
    pub points: Float64Array,
    pub hyper: Float64Array,
    pub acquisition_values: Float64Array,
    /// with `transfer`: the weight of each old study, then the new study's own model's; else empty
    pub transfer_weights: Float64Array,
}

fn rows(flat: &[f64], d: usize, what: &'static str) -> Result<Vec<Vec<f64>>> {
    if d == 0 || !flat.len().is_multiple_of(d) {
        return Err(js(ConvertError::Ragged {
            what,
            len: flat.len(),
            d,
        }));
    }
    Ok(flat.chunks(d).map(<[f64]>::to_vec).collect())
}

fn to_request(input: &ProposeInput) -> Result<ProposeRequest> {
    let space = to_space(&input.space)?;
    let d = space.len();
    let acquisition = Acquisition::new(
        input.acquisition.map(Into::into).unwrap_or_default(),
        input.xi,
        input.kappa,
    );
    let mut req = ProposeRequest::new(
        space,
        rows(&input.points, d, "points")?,
        input.targets.to_vec(),
    );
    req.pending = rows(&input.pending, d, "pending")?;
    req.n = input.n as usize;
    req.seed = u64::from(input.seed);
    req.acquisition = acquisition;
    if let Some(k) = input.kernel {
        req.kernel = KernelKind::from(k);
    }
    req.warm_start = input
        .warm_start
        .as_ref()
        .map(|w| w.to_vec())
        .filter(|w| !w.is_empty());
    if let Some(c) = input.n_candidates {
        req.n_candidates = c as usize;
    }
    if let Some(r) = input.n_restarts {
        req.n_restarts = r as usize;
    }
    if let Some(r) = input.fit_restarts {
        req.fit_restarts = r as usize;
    }
    if let Some(c) = input.constraints.as_ref().filter(|c| !c.is_empty()) {
        let k = input.n_constraints.unwrap_or(0) as usize;
        req.constraints = rows(c, k, "constraints")?;
    }
    if let Some(f) = input.failed.as_ref().filter(|f| !f.is_empty()) {
        req.failed = rows(f, d, "failed")?;
    }
    if let Some(f) = input.fixed.as_ref().filter(|f| !f.is_empty()) {
        req.fixed = f.iter().map(|&v| (!v.is_nan()).then_some(v)).collect();
    }
    for t in input.transfer.iter().flatten() {
        req.transfer.push(BaseTask {
            points: if t.points.is_empty() {
                Vec::new()
            } else {
                rows(&t.points, d, "transfer points")?
            },
            targets: t.targets.to_vec(),
        });
    }
    Ok(req)
}

fn to_js(p: Proposal) -> ProposeOutput {
    ProposeOutput {
        points: Float64Array::new(p.points.concat()),
        hyper: Float64Array::new(p.hyper),
        acquisition_values: Float64Array::new(p.acquisition_values),
        transfer_weights: Float64Array::new(p.transfer_weights),
    }
}

pub struct ProposeTask {
    req: ProposeRequest,
}

impl Task for ProposeTask {
    type Output = Proposal;
    type JsValue = ProposeOutput;

    fn compute(&mut self) -> Result<Proposal> {
        no_panic(|| propose(&self.req).map_err(js))
    }

    fn resolve(&mut self, _env: Env, output: Proposal) -> Result<ProposeOutput> {
        Ok(to_js(output))
    }
}

/// Fits the surrogate and proposes `n` distinct points, off the event loop.
#[napi(catch_unwind, ts_return_type = "Promise<ProposeOutput>")]
pub fn bayes_propose(input: ProposeInput) -> Result<AsyncTask<ProposeTask>> {
    Ok(AsyncTask::new(ProposeTask {
        req: to_request(&input)?,
    }))
}

/// The points of a failure model (value form, row-major).
#[napi(object)]
pub struct FailureInput {
    pub space: Vec<ParamSpec>,
    /// points of trials that did not fail (COMPLETE, PRUNED)
    pub ok: Float64Array,
    /// points of trials that failed
    pub failed: Float64Array,
    /// where to evaluate `P(not FAIL)`
    pub queries: Float64Array,
}

/// `P(not FAIL | x)` at each query point from the failure model of `ok` and
/// `failed` points (core `acquisition::failure`): all 1 when none failed.
#[napi(catch_unwind)]
pub fn failure_probability(input: FailureInput) -> Result<Float64Array> {
    no_panic(|| {
        let space = to_space(&input.space)?;
        let d = space.len();
        let mut lists = Vec::with_capacity(3);
        for (which, flat) in [
            ("ok", &input.ok),
            ("failed", &input.failed),
            ("queries", &input.queries),
        ] {
            let list = if flat.is_empty() {
                Vec::new()
            } else {
                rows(flat, d, which)?
            };
            for (index, p) in list.iter().enumerate() {
                space.check_point(p).map_err(|source| {
                    js(BoError::InvalidPoint {
                        which,
                        index,
                        source,
                    })
                })?;
            }
            lists.push(list.iter().map(|p| space.encode(p)).collect::<Vec<_>>());
        }
        let model = FailureModel::fit(&space, &lists[0], &lists[1]);
        let out: Vec<f64> = lists[2]
            .iter()
            .map(|u| model.as_ref().map_or(1.0, |m| m.p_ok(u)))
            .collect();
        Ok(Float64Array::new(out))
    })
}
