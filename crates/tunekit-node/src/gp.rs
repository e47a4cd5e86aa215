//! `GpModel`: Gaussian-process regression (fit, posterior, marginal likelihood).

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::gp::{self, FittedGp, GpParams, KernelKind, Optimizer};

use crate::error::{js, no_panic, ConvertError};

/// The kernel family of a Gaussian process (core `KernelKind`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpKernel {
    Matern52,
    Matern32,
    Rbf,
}

impl From<GpKernel> for KernelKind {
    fn from(k: GpKernel) -> Self {
        match k {
            GpKernel::Matern52 => KernelKind::Matern52,
            GpKernel::Matern32 => KernelKind::Matern32,
            GpKernel::Rbf => KernelKind::Rbf,
        }
    }
}

impl From<KernelKind> for GpKernel {
    fn from(k: KernelKind) -> Self {
        match k {
            KernelKind::Matern52 => GpKernel::Matern52,
            KernelKind::Matern32 => GpKernel::Matern32,
            KernelKind::Rbf => GpKernel::Rbf,
        }
    }
}

/// Settings of a Gaussian-process regression; any left out takes the core's
/// default (`GpParams::default`, `Optimizer::default`: Matérn 5/2, length
/// scale 1, variance 1, alpha 1e-10, no target normalisation, no restarts,
/// bounds [1e-5, 1e5], seed 0).
#[napi(object)]
pub struct GpOptions {
    pub kernel: Option<GpKernel>,
    pub length_scale: Option<Vec<f64>>,
    pub variance: Option<f64>,
    pub alpha: Option<f64>,
    pub normalize_y: Option<bool>,
    /// fit the hyper-parameters by maximising the log marginal likelihood
    pub optimize: bool,
    pub restarts: Option<u32>,
    pub bounds_variance: Option<Vec<f64>>,
    pub bounds_length_scale: Option<Vec<f64>>,
    pub seed: Option<u32>,
}

fn pair(v: Option<&[f64]>, default: (f64, f64), what: &'static str) -> Result<(f64, f64)> {
    match v {
        None => Ok(default),
        Some([lo, hi]) => Ok((*lo, *hi)),
        Some(v) => Err(js(ConvertError::NotAPair { what, len: v.len() })),
    }
}

impl TryFrom<&GpOptions> for GpParams {
    type Error = napi::Error;

    fn try_from(o: &GpOptions) -> Result<GpParams> {
        let d = GpParams::default();
        let optimizer = if o.optimize {
            let od = Optimizer::default();
            Some(Optimizer {
                restarts: o.restarts.map_or(od.restarts, |r| r as usize),
                bounds_variance: pair(
                    o.bounds_variance.as_deref(),
                    od.bounds_variance,
                    "optimizer.bounds.variance",
                )?,
                bounds_length_scale: pair(
                    o.bounds_length_scale.as_deref(),
                    od.bounds_length_scale,
                    "optimizer.bounds.lengthScale",
                )?,
                seed: o.seed.map_or(od.seed, u64::from),
                ..od
            })
        } else {
            None
        };
        let params = GpParams {
            kernel: o.kernel.map_or(d.kernel, KernelKind::from),
            length_scale: o.length_scale.clone().unwrap_or(d.length_scale),
            variance: o.variance.unwrap_or(d.variance),
            alpha: o.alpha.unwrap_or(d.alpha),
            noise: d.noise,
            normalize_y: o.normalize_y.unwrap_or(d.normalize_y),
            optimizer,
            space: d.space,
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

    /// The kernel family.
    #[napi(getter, catch_unwind)]
    pub fn kernel(&self) -> GpKernel {
        self.inner.kernel().into()
    }

    #[napi(getter, catch_unwind)]
    pub fn variance(&self) -> f64 {
        self.inner.variance()
    }
}
