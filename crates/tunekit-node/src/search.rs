//! `crossValidateSvc`: every configuration × fold in one native call.

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::data::{Labels, Matrix};
use tunekit_core::model_selection::search::{cross_validate_svc, FoldScore};
use tunekit_core::model_selection::Fold;
use tunekit_core::svm::SvcParams;

use crate::error::{js, no_panic};
use crate::matrix::{to_indices, to_labels, to_matrix};
use crate::svc::SvcOptions;

/// Train and test row indices of one fold.
#[napi(object)]
pub struct FoldIndices {
    pub train: Uint32Array,
    pub test: Uint32Array,
}

/// Scores of every configuration × fold, row-major (`config * nFolds + fold`).
#[napi(object)]
pub struct CvScores {
    pub n_configs: u32,
    pub n_folds: u32,
    pub accuracy: Float64Array,
    pub fit_seconds: Float64Array,
    pub score_seconds: Float64Array,
    /// 1 where the solver converged, 0 where an iteration cap stopped it
    pub converged: Uint32Array,
}

pub struct CvTask {
    x: Matrix,
    y: Labels,
    configs: Vec<SvcParams>,
    folds: Vec<Fold>,
    n_jobs: Option<usize>,
}

fn run(task: &CvTask) -> Result<Vec<Vec<FoldScore>>> {
    cross_validate_svc(&task.x, &task.y, &task.configs, &task.folds, task.n_jobs).map_err(js)
}

fn to_js(scores: Vec<Vec<FoldScore>>, n_folds: usize) -> CvScores {
    let flat: Vec<&FoldScore> = scores.iter().flatten().collect();
    CvScores {
        n_configs: scores.len() as u32,
        n_folds: n_folds as u32,
        accuracy: Float64Array::new(flat.iter().map(|s| s.accuracy).collect()),
        fit_seconds: Float64Array::new(flat.iter().map(|s| s.fit_seconds).collect()),
        score_seconds: Float64Array::new(flat.iter().map(|s| s.score_seconds).collect()),
        converged: Uint32Array::new(flat.iter().map(|s| u32::from(s.converged)).collect()),
    }
}

impl Task for CvTask {
    type Output = Vec<Vec<FoldScore>>;
    type JsValue = CvScores;

    fn compute(&mut self) -> Result<Self::Output> {
        no_panic(|| run(self))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<CvScores> {
        Ok(to_js(output, self.folds.len()))
    }
}

#[allow(clippy::too_many_arguments)]
fn prepare(
    x: &Float64Array,
    rows: u32,
    cols: u32,
    y: &Uint32Array,
    n_classes: u32,
    configs: &[SvcOptions],
    folds: &[FoldIndices],
    n_jobs: Option<u32>,
) -> Result<CvTask> {
    let configs = configs
        .iter()
        .map(SvcParams::try_from)
        .collect::<Result<Vec<_>>>()?;
    let folds = folds
        .iter()
        .map(|f| Fold {
            train: to_indices(&f.train),
            test: to_indices(&f.test),
        })
        .collect();
    Ok(CvTask {
        x: to_matrix(x, rows, cols)?,
        y: to_labels(y, n_classes)?,
        configs,
        folds,
        n_jobs: n_jobs.map(|n| n as usize),
    })
}

/// Cross-validates every configuration on every fold, in parallel.
#[napi(catch_unwind, ts_return_type = "Promise<CvScores>")]
#[allow(clippy::too_many_arguments)]
pub fn cross_validate_svc_task(
    x: Float64Array,
    rows: u32,
    cols: u32,
    y: Uint32Array,
    n_classes: u32,
    configs: Vec<SvcOptions>,
    folds: Vec<FoldIndices>,
    n_jobs: Option<u32>,
) -> Result<AsyncTask<CvTask>> {
    Ok(AsyncTask::new(prepare(
        &x, rows, cols, &y, n_classes, &configs, &folds, n_jobs,
    )?))
}
