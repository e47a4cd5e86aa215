//! Parameter importance (PED-ANOVA, fANOVA): conversions only.

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::importance::{
    evaluate, Evaluator, FanovaOptions, Importances, PedAnovaOptions, Trials,
};
use tunekit_core::space::Space;

use crate::error::{js, no_panic};
use crate::space::{to_space, ParamSpec};

/// The importance evaluators.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportanceEvaluator {
    PedAnova,
    Fanova,
}

/// One importance evaluation: the trials in the space's value form and the
/// evaluator's options (left out: the core's defaults).
#[napi(object)]
pub struct ImportanceInput {
    pub space: Vec<ParamSpec>,
    /// `n × d` values, row-major (a category by its index)
    pub points: Float64Array,
    /// one per trial; PED-ANOVA takes lower as better
    pub targets: Float64Array,
    /// the trials' numbers, for messages
    pub numbers: Option<Vec<u32>>,
    pub evaluator: Option<ImportanceEvaluator>,
    pub target_quantile: Option<f64>,
    pub region_quantile: Option<f64>,
    pub evaluate_on_local: Option<bool>,
    pub n_trees: Option<u32>,
    pub max_depth: Option<u32>,
    pub seed: Option<u32>,
}

/// Normalised importances (space order) and the order from most to least important.
#[napi(object)]
pub struct ImportanceOutput {
    pub values: Float64Array,
    pub order: Vec<u32>,
}

/// The core's defaults of the options the binding exposes.
#[napi(object)]
pub struct ImportanceDefaults {
    pub target_quantile: f64,
    pub region_quantile: f64,
    pub evaluate_on_local: bool,
    pub n_trees: u32,
    pub max_depth: u32,
    pub seed: u32,
}

/// The defaults the core applies to left-out options.
#[napi(catch_unwind)]
pub fn importance_defaults() -> ImportanceDefaults {
    let p = PedAnovaOptions::default();
    let f = FanovaOptions::default();
    ImportanceDefaults {
        target_quantile: p.target_quantile,
        region_quantile: p.region_quantile,
        evaluate_on_local: p.evaluate_on_local,
        n_trees: u32::try_from(f.n_trees).unwrap_or(u32::MAX),
        max_depth: u32::try_from(f.max_depth).unwrap_or(u32::MAX),
        seed: u32::try_from(f.seed).unwrap_or(u32::MAX),
    }
}

struct Request {
    space: Space,
    points: Vec<f64>,
    targets: Vec<f64>,
    numbers: Vec<i64>,
    evaluator: Evaluator,
}

fn to_request(input: &ImportanceInput) -> Result<Request> {
    let space = to_space(&input.space)?;
    let evaluator = match input.evaluator.unwrap_or(ImportanceEvaluator::PedAnova) {
        ImportanceEvaluator::PedAnova => {
            let mut o = PedAnovaOptions::default();
            if let Some(q) = input.target_quantile {
                o.target_quantile = q;
            }
            if let Some(q) = input.region_quantile {
                o.region_quantile = q;
            }
            if let Some(l) = input.evaluate_on_local {
                o.evaluate_on_local = l;
            }
            Evaluator::PedAnova(o)
        }
        ImportanceEvaluator::Fanova => {
            let mut o = FanovaOptions::default();
            if let Some(n) = input.n_trees {
                o.n_trees = n as usize;
            }
            if let Some(d) = input.max_depth {
                o.max_depth = d as usize;
            }
            if let Some(s) = input.seed {
                o.seed = u64::from(s);
            }
            Evaluator::Fanova(o)
        }
    };
    Ok(Request {
        space,
        points: input.points.to_vec(),
        targets: input.targets.to_vec(),
        numbers: input
            .numbers
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .map(|&n| i64::from(n))
            .collect(),
        evaluator,
    })
}

fn run(r: &Request) -> Result<Importances> {
    let trials = Trials {
        space: &r.space,
        points: &r.points,
        targets: &r.targets,
        numbers: &r.numbers,
    };
    evaluate(&trials, &r.evaluator).map_err(js)
}

fn to_output(i: Importances) -> ImportanceOutput {
    ImportanceOutput {
        values: Float64Array::new(i.values),
        order: i.order.into_iter().map(|k| k as u32).collect(),
    }
}

pub struct ImportanceTask {
    req: Request,
}

impl Task for ImportanceTask {
    type Output = Importances;
    type JsValue = ImportanceOutput;

    fn compute(&mut self) -> Result<Importances> {
        no_panic(|| run(&self.req))
    }

    fn resolve(&mut self, _env: Env, output: Importances) -> Result<ImportanceOutput> {
        Ok(to_output(output))
    }
}

/// Parameter importances of the trials, off the event loop.
#[napi(catch_unwind, ts_return_type = "Promise<ImportanceOutput>")]
pub fn param_importances(input: ImportanceInput) -> Result<AsyncTask<ImportanceTask>> {
    Ok(AsyncTask::new(ImportanceTask {
        req: to_request(&input)?,
    }))
}

/// The same evaluation on the calling thread.
#[napi(catch_unwind)]
pub fn param_importances_sync(input: ImportanceInput) -> Result<ImportanceOutput> {
    Ok(to_output(run(&to_request(&input)?)?))
}
