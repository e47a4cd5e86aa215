//! `crossValidateSvc`: every configuration × fold in one native call.

use napi::bindgen_prelude::{AsyncTask, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::data::{Labels, Matrix};

use tunekit_core::model_selection::search::{
    cross_validate_svc, cross_validate_svc_refit, FoldScore,
};
use tunekit_core::model_selection::summary::summarize;
use tunekit_core::model_selection::Fold;
use tunekit_core::svm::SvcParams;

use crate::error::{js, no_panic};
use crate::matrix::{to_indices, to_labels, to_matrix};
use crate::svc::{SvcModel, SvcOptions};

/// Train and test row indices of one fold.
#[napi(object)]
pub struct FoldIndices {
    pub train: Uint32Array,
    pub test: Uint32Array,
}

/// Scores of every configuration × fold, row-major (`config * nFolds + fold`).
#[napi(object, object_from_js = false)]
pub struct CvScores {
    pub n_configs: u32,
    pub n_folds: u32,
    pub accuracy: Float64Array,
    pub fit_seconds: Float64Array,
    pub score_seconds: Float64Array,
    /// 1 where the solver converged, 0 where an iteration cap stopped it
    pub converged: Uint32Array,
    /// With `refit`: the best configuration (highest mean accuracy over the
    /// folds, summed in fold order; the first on ties)
    pub best: Option<u32>,
    /// With `refit`: the best configuration fitted on all the data, in the same
    /// task (no second call)
    pub model: Option<SvcModel>,
    /// With `refit`: seconds that fit took
    pub refit_seconds: Option<f64>,
}

pub struct CvTask {
    x: Matrix,
    y: Labels,
    configs: Vec<SvcParams>,
    folds: Vec<Fold>,
    n_jobs: Option<usize>,
    refit: bool,
}

/// The best configuration refitted on all the data, and the seconds it took.
pub struct Refit {
    best: usize,
    model: SvcModel,
    seconds: f64,
}

fn run(task: &CvTask) -> Result<(Vec<Vec<FoldScore>>, Option<Refit>)> {
    if !task.refit {
        let scores = cross_validate_svc(&task.x, &task.y, &task.configs, &task.folds, task.n_jobs)
            .map_err(js)?;
        return Ok((scores, None));
    }
    // the refit reuses the search's dot products, in the same pool
    let (scores, refit) =
        cross_validate_svc_refit(&task.x, &task.y, &task.configs, &task.folds, task.n_jobs)
            .map_err(js)?;
    let refit = refit.map(|r| Refit {
        best: r.best,
        model: SvcModel::from_core(r.model),
        seconds: r.seconds,
    });
    Ok((scores, refit))
}

fn to_js((scores, refit): (Vec<Vec<FoldScore>>, Option<Refit>), n_folds: usize) -> CvScores {
    let flat: Vec<&FoldScore> = scores.iter().flatten().collect();
    let (best, model, refit_seconds) = match refit {
        Some(r) => (Some(r.best as u32), Some(r.model), Some(r.seconds)),
        None => (None, None, None),
    };
    CvScores {
        n_configs: scores.len() as u32,
        n_folds: n_folds as u32,
        accuracy: Float64Array::new(flat.iter().map(|s| s.accuracy).collect()),
        fit_seconds: Float64Array::new(flat.iter().map(|s| s.fit_seconds).collect()),
        score_seconds: Float64Array::new(flat.iter().map(|s| s.score_seconds).collect()),
        converged: Uint32Array::new(flat.iter().map(|s| u32::from(s.converged)).collect()),
        best,
        model,
        refit_seconds,
    }
}

impl Task for CvTask {
    type Output = (Vec<Vec<FoldScore>>, Option<Refit>);
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
    refit: bool,
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
        refit,
    })
}

/// Cross-validates every configuration on every fold, in parallel; with
/// `refit`, then fits the best configuration on all the data in the same task.
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
    refit: Option<bool>,
) -> Result<AsyncTask<CvTask>> {
    Ok(AsyncTask::new(prepare(
        &x,
        rows,
        cols,
        &y,
        n_classes,
        &configs,
        &folds,
        n_jobs,
        refit.unwrap_or(false),
    )?))
}

/// Mean, standard deviation and rank of each row of fold values.
#[napi(object, object_from_js = false)]
pub struct CvSummary {
    pub mean: Float64Array,
    pub std: Float64Array,
    /// 1 for the highest mean; ties share the smallest rank, NaN ranks last
    pub rank: Uint32Array,
}

/// The `cv_results_` summary of row-major fold values (rows of `width`): the
/// core's one rule for means, standard deviations and ranks.
#[napi(catch_unwind)]
pub fn cv_summary(values: Float64Array, width: u32) -> Result<CvSummary> {
    let s = summarize(&values, width as usize).map_err(js)?;
    Ok(CvSummary {
        mean: Float64Array::new(s.mean),
        std: Float64Array::new(s.std),
        rank: Uint32Array::new(s.rank),
    })
}
