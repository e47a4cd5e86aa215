//! `GpModel`: Gaussian-process regression (fit, posterior, marginal likelihood).

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::gp::{self, FittedGp, GpParams, KernelKind, Optimizer};

use crate::error::{js, no_panic, Code, ConvertError};

pub fn kernel_kind(s: &str) -> Result<KernelKind> {
    match s {
        "matern52" => Ok(KernelKind::Matern52),
        "matern32" => Ok(KernelKind::Matern32),
        "rbf" => Ok(KernelKind::Rbf),
        other => Err(js(ConvertError::Unsupported {
            what: "kernel".to_owned(),
            got: other.to_owned(),
            expected: "matern52, matern32 or rbf",
            code: Code::InvalidParameter,
        })),
    }
}

/// Settings of a Gaussian-process regression, as the TypeScript layer sends them.
#[napi(object)]
pub struct GpOptions {
    pub kernel: String,
    pub length_scale: Vec<f64>,
    pub variance: f64,
    pub alpha: f64,
    pub normalize_y: bool,
    /// fit the hyper-parameters by maximising the log marginal likelihood
    pub optimize: bool,
    pub restarts: u32,
    pub bounds_variance: Vec<f64>,
    pub bounds_length_scale: Vec<f64>,
    pub seed: u32,
}

fn pair(v: &[f64], what: &'static str) -> Result<(f64, f64)> {
    match v {
        [lo, hi] => Ok((*lo, *hi)),
        _ => Err(js(ConvertError::NotAPair { what, len: v.len() })),
    }
}

impl TryFrom<&GpOptions> for GpParams {
    type Error = napi::Error;

    fn try_from(o: &GpOptions) -> Result<GpParams> {
        let optimizer = if o.optimize {
            Some(Optimizer {
                restarts: o.restarts as usize,
                bounds_variance: pair(&o.bounds_variance, "optimizer.bounds.variance")?,
                bounds_length_scale: pair(&o.bounds_length_scale, "optimizer.bounds.lengthScale")?,
                seed: u64::from(o.seed),
                ..Optimizer::default()
            })
        } else {
            None
        };
        let params = GpParams {
            kernel: kernel_kind(&o.kernel)?,
            length_scale: o.length_scale.clone(),
            variance: o.variance,
            alpha: o.alpha,
            noise: None,
            normalize_y: o.normalize_y,
            optimizer,
            space: None,
        };
        params.check().map_err(js)?;
        Ok(params)
    }
}

/// A fitted Gaussian process held natively.
#[napi]
pub struct GpModel {
    inner: Arc<FittedGp>,
}

pub struct GpFitTask {
    params: GpParams,
    x: Vec<f64>,
    rows: usize,
    cols: usize,
    y: Vec<f64>,
}

impl GpFitTask {
    fn fit(&self) -> Result<GpModel> {
        let fitted = gp::fit(&self.params, &self.x, self.rows, self.cols, &self.y).map_err(js)?;
        Ok(GpModel {
            inner: Arc::new(fitted),
        })
    }
}

impl Task for GpFitTask {
    type Output = GpModel;
    type JsValue = GpModel;

    fn compute(&mut self) -> Result<GpModel> {
        no_panic(|| self.fit())
    }

    fn resolve(&mut self, _env: Env, output: GpModel) -> Result<GpModel> {
        Ok(output)
    }
}

fn prepare(
    x: &Float64Array,
    rows: u32,
    cols: u32,
    y: &Float64Array,
    options: &GpOptions,
) -> Result<GpFitTask> {
    Ok(GpFitTask {
        params: GpParams::try_from(options)?,
        x: x.to_vec(),
        rows: rows as usize,
        cols: cols as usize,
        y: y.to_vec(),
    })
}

/// Fits a Gaussian process on row-major `x` (rows × cols) and targets `y`.
#[napi(catch_unwind, ts_return_type = "Promise<GpModel>")]
pub fn gp_fit(
    x: Float64Array,
    rows: u32,
    cols: u32,
    y: Float64Array,
    options: GpOptions,
) -> Result<AsyncTask<GpFitTask>> {
    Ok(AsyncTask::new(prepare(&x, rows, cols, &y, &options)?))
}

/// Synchronous twin of `gpFit`.
#[napi(catch_unwind)]
pub fn gp_fit_sync(
    x: Float64Array,
    rows: u32,
    cols: u32,
    y: Float64Array,
    options: GpOptions,
) -> Result<GpModel> {
    prepare(&x, rows, cols, &y, &options)?.fit()
}

/// Posterior mean and standard deviation (of the latent function) at some points.
#[napi(object)]
pub struct Posterior {
    pub mean: Float64Array,
    pub std: Float64Array,
}

#[napi]
impl GpModel {
    /// Posterior at row-major `x` (rows × the training dimension).
    #[napi(catch_unwind)]
    pub fn predict(&self, x: Float64Array, rows: u32) -> Result<Posterior> {
        let (mean, std) = self.inner.predict(&x, rows as usize).map_err(js)?;
        Ok(Posterior {
            mean: Float64Array::new(mean),
            std: Float64Array::new(std),
        })
    }

    /// Log marginal likelihood of the training targets under the fitted kernel.
    #[napi(getter, catch_unwind)]
    pub fn log_marginal_likelihood(&self) -> f64 {
        self.inner.log_marginal_likelihood()
    }

    #[napi(getter, catch_unwind)]
    pub fn length_scale(&self) -> Float64Array {
        Float64Array::new(self.inner.length_scale())
    }

    #[napi(getter, catch_unwind)]
    pub fn variance(&self) -> f64 {
        self.inner.variance()
    }
}
