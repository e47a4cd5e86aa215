//! `SvcModel`: fit, predict and decision function of the core C-SVC.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Uint32Array};
use napi::{Env, Result, Task};
use napi_derive::napi;
use tunekit_core::data::{Labels, Matrix};
use tunekit_core::svm::{self, ClassWeight, Gamma, Kernel, SvcParams};

use crate::error::{js, no_panic, Code, ConvertError};
use crate::matrix::{from_indices, to_labels, to_matrix};

/// The kernel of an SVC (core `svm::Kernel`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SvcKernel {
    Linear,
    Rbf,
    Poly,
    Sigmoid,
}

impl From<SvcKernel> for Kernel {
    fn from(k: SvcKernel) -> Self {
        match k {
            SvcKernel::Linear => Kernel::Linear,
            SvcKernel::Rbf => Kernel::Rbf,
            SvcKernel::Poly => Kernel::Poly,
            SvcKernel::Sigmoid => Kernel::Sigmoid,
        }
    }
}

impl From<Kernel> for SvcKernel {
    fn from(k: Kernel) -> Self {
        match k {
            Kernel::Linear => SvcKernel::Linear,
            Kernel::Rbf => SvcKernel::Rbf,
            Kernel::Poly => SvcKernel::Poly,
            Kernel::Sigmoid => SvcKernel::Sigmoid,
        }
    }
}

/// A gamma worked out from the data (core `Gamma::Scale`, `Gamma::Auto`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GammaKind {
    Scale,
    Auto,
}

/// Class weights without a list (core `ClassWeight::Uniform`, `ClassWeight::Balanced`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassWeightKind {
    Uniform,
    Balanced,
}

fn gamma(g: &Either<GammaKind, f64>) -> Gamma {
    match g {
        Either::A(GammaKind::Scale) => Gamma::Scale,
        Either::A(GammaKind::Auto) => Gamma::Auto,
        Either::B(v) => Gamma::Value(*v),
    }
}

fn class_weight(w: &Either<ClassWeightKind, Vec<f64>>) -> ClassWeight {
    match w {
        Either::A(ClassWeightKind::Uniform) => ClassWeight::Uniform,
        Either::A(ClassWeightKind::Balanced) => ClassWeight::Balanced,
        Either::B(v) => ClassWeight::PerClass(v.clone()),
    }
}

/// SVC settings; any left out takes the core's default (`SvcParams::default`,
/// scikit-learn's `SVC()`).
#[napi(object)]
#[derive(Clone, Default)]
pub struct SvcOptions {
    pub c: Option<f64>,
    pub kernel: Option<SvcKernel>,
    /// `scale`, `auto` or a positive number
    pub gamma: Option<Either<GammaKind, f64>>,
    pub degree: Option<u32>,
    pub coef0: Option<f64>,
    pub tol: Option<f64>,
    pub shrinking: Option<bool>,
    /// `uniform`, `balanced`, or one weight per class code
    pub class_weight: Option<Either<ClassWeightKind, Vec<f64>>>,
    /// a cap on solver iterations per pair; left out, none
    pub max_iter: Option<f64>,
    pub cache_size_mb: Option<f64>,
}

impl TryFrom<&SvcOptions> for SvcParams {
    type Error = napi::Error;

    fn try_from(o: &SvcOptions) -> Result<Self> {
        let d = SvcParams::default();
        let max_iter = match o.max_iter {
            None => d.max_iter,
            Some(m) if m.is_finite() && m >= 0.0 && m.fract() == 0.0 => Some(m as u64),
            Some(m) => {
                return Err(js(ConvertError::Integer {
                    what: "maxIter".to_owned(),
                    value: m,
                    expected: "a positive integer",
                    code: Code::InvalidParameter,
                }))
            }
        };
        let params = SvcParams {
            c: o.c.unwrap_or(d.c),
            kernel: o.kernel.map_or(d.kernel, Kernel::from),
            gamma: o.gamma.as_ref().map_or(d.gamma, gamma),
            degree: o.degree.unwrap_or(d.degree),
            coef0: o.coef0.unwrap_or(d.coef0),
            tol: o.tol.unwrap_or(d.tol),
            shrinking: o.shrinking.unwrap_or(d.shrinking),
            class_weight: o.class_weight.as_ref().map_or(d.class_weight, class_weight),
            max_iter,
            cache_size_mb: o.cache_size_mb.unwrap_or(d.cache_size_mb),
        };
        params.check().map_err(js)?;
        Ok(params)
    }
}

/// Every SVC setting as the core's defaults give them (`svcDefaults`).
#[napi(object)]
pub struct SvcSettings {
    pub c: f64,
    pub kernel: SvcKernel,
    pub gamma: Either<GammaKind, f64>,
    pub degree: u32,
    pub coef0: f64,
    pub tol: f64,
    pub shrinking: bool,
    pub class_weight: Either<ClassWeightKind, Vec<f64>>,
    /// absent: no cap
    pub max_iter: Option<f64>,
    pub cache_size_mb: f64,
}

impl From<SvcParams> for SvcSettings {
    fn from(p: SvcParams) -> Self {
        SvcSettings {
            c: p.c,
            kernel: p.kernel.into(),
            gamma: match p.gamma {
                Gamma::Scale => Either::A(GammaKind::Scale),
                Gamma::Auto => Either::A(GammaKind::Auto),
                Gamma::Value(v) => Either::B(v),
            },
            degree: p.degree,
            coef0: p.coef0,
            tol: p.tol,
            shrinking: p.shrinking,
            class_weight: match p.class_weight {
                ClassWeight::Uniform => Either::A(ClassWeightKind::Uniform),
                ClassWeight::Balanced => Either::A(ClassWeightKind::Balanced),
                ClassWeight::PerClass(w) => Either::B(w),
            },
            max_iter: p.max_iter.map(|m| m as f64),
            cache_size_mb: p.cache_size_mb,
        }
    }
}

/// The core's SVC defaults (scikit-learn's `SVC()`).
#[napi(catch_unwind)]
pub fn svc_defaults() -> SvcSettings {
    SvcParams::default().into()
}

/// A fitted C-SVC held natively; predictions run on the libuv pool.
#[napi]
pub struct SvcModel {
    inner: Arc<svm::SvcModel>,
}

impl SvcModel {
    pub(crate) fn from_core(model: svm::SvcModel) -> Self {
        Self {
            inner: Arc::new(model),
        }
    }
}

pub(crate) fn fit_inner(params: &SvcParams, x: &Matrix, y: &Labels) -> Result<SvcModel> {
    let model = svm::fit(params, x, y).map_err(js)?;
    Ok(SvcModel {
        inner: Arc::new(model),
    })
}

pub struct FitTask {
    params: SvcParams,
    x: Matrix,
    y: Labels,
}

impl Task for FitTask {
    type Output = SvcModel;
    type JsValue = SvcModel;

    fn compute(&mut self) -> Result<SvcModel> {
        no_panic(|| fit_inner(&self.params, &self.x, &self.y))
    }

    fn resolve(&mut self, _env: Env, output: SvcModel) -> Result<SvcModel> {
        Ok(output)
    }
}

fn prepare_fit(
    x: &Float64Array,
    rows: u32,
    cols: u32,
    y: &Uint32Array,
    n_classes: u32,
    options: &SvcOptions,
) -> Result<FitTask> {
    Ok(FitTask {
        params: SvcParams::try_from(options)?,
        x: to_matrix(x, rows, cols)?,
        y: to_labels(y, n_classes)?,
    })
}

/// Fits a C-SVC on row-major `x` (rows × cols) and class codes `y`.
#[napi(catch_unwind, ts_return_type = "Promise<SvcModel>")]
pub fn svc_fit(
    x: Float64Array,
    rows: u32,
    cols: u32,
    y: Uint32Array,
    n_classes: u32,
    options: SvcOptions,
) -> Result<AsyncTask<FitTask>> {
    Ok(AsyncTask::new(prepare_fit(
        &x, rows, cols, &y, n_classes, &options,
    )?))
}

/// Synchronous twin of `svcFit`.
#[napi(catch_unwind)]
pub fn svc_fit_sync(
    x: Float64Array,
    rows: u32,
    cols: u32,
    y: Uint32Array,
    n_classes: u32,
    options: SvcOptions,
) -> Result<SvcModel> {
    let task = prepare_fit(&x, rows, cols, &y, n_classes, &options)?;
    fit_inner(&task.params, &task.x, &task.y)
}

/// What a prediction task computes.
#[derive(Clone, Copy)]
pub enum Output {
    Labels,
    Decision,
}

pub struct PredictTask {
    model: Arc<svm::SvcModel>,
    x: Matrix,
    output: Output,
}

pub enum Predicted {
    Labels(Vec<u32>),
    Decision(Vec<f64>),
}

impl Task for PredictTask {
    type Output = Predicted;
    type JsValue = napi::Either<Uint32Array, Float64Array>;

    fn compute(&mut self) -> Result<Predicted> {
        no_panic(|| predict_inner(&self.model, &self.x, self.output))
    }

    fn resolve(&mut self, _env: Env, output: Predicted) -> Result<Self::JsValue> {
        Ok(to_js(output))
    }
}

fn predict_inner(model: &svm::SvcModel, x: &Matrix, output: Output) -> Result<Predicted> {
    match output {
        Output::Labels => model.predict(x).map(Predicted::Labels).map_err(js),
        Output::Decision => model
            .decision_function(x)
            .map(Predicted::Decision)
            .map_err(js),
    }
}

fn to_js(p: Predicted) -> napi::Either<Uint32Array, Float64Array> {
    match p {
        Predicted::Labels(v) => napi::Either::A(Uint32Array::new(v)),
        Predicted::Decision(v) => napi::Either::B(Float64Array::new(v)),
    }
}

#[napi]
impl SvcModel {
    /// Predicted class codes for row-major `x`.
    #[napi(catch_unwind, ts_return_type = "Promise<Uint32Array>")]
    pub fn predict(&self, x: Float64Array, rows: u32, cols: u32) -> Result<AsyncTask<PredictTask>> {
        Ok(AsyncTask::new(PredictTask {
            model: self.inner.clone(),
            x: to_matrix(&x, rows, cols)?,
            output: Output::Labels,
        }))
    }

    #[napi(catch_unwind, ts_return_type = "Uint32Array")]
    pub fn predict_sync(
        &self,
        x: Float64Array,
        rows: u32,
        cols: u32,
    ) -> Result<napi::Either<Uint32Array, Float64Array>> {
        Ok(to_js(predict_inner(
            &self.inner,
            &to_matrix(&x, rows, cols)?,
            Output::Labels,
        )?))
    }

    /// scikit-learn's decision function: n values (binary) or n × n_classes ('ovr').
    #[napi(catch_unwind, ts_return_type = "Promise<Float64Array>")]
    pub fn decision_function(
        &self,
        x: Float64Array,
        rows: u32,
        cols: u32,
    ) -> Result<AsyncTask<PredictTask>> {
        Ok(AsyncTask::new(PredictTask {
            model: self.inner.clone(),
            x: to_matrix(&x, rows, cols)?,
            output: Output::Decision,
        }))
    }

    #[napi(catch_unwind, ts_return_type = "Float64Array")]
    pub fn decision_function_sync(
        &self,
        x: Float64Array,
        rows: u32,
        cols: u32,
    ) -> Result<napi::Either<Uint32Array, Float64Array>> {
        Ok(to_js(predict_inner(
            &self.inner,
            &to_matrix(&x, rows, cols)?,
            Output::Decision,
        )?))
    }

    /// Class codes the model was fitted on, sorted.
    #[napi(getter, catch_unwind)]
    pub fn classes(&self) -> Uint32Array {
        Uint32Array::new(self.inner.classes().to_vec())
    }

    /// Number of support vectors of each class, in `classes` order.
    #[napi(getter, catch_unwind)]
    pub fn n_support(&self) -> Uint32Array {
        Uint32Array::new(self.inner.n_support().iter().map(|&n| n as u32).collect())
    }

    /// Training-row indices of the support vectors.
    #[napi(getter, catch_unwind)]
    pub fn support(&self) -> Uint32Array {
        from_indices(self.inner.support())
    }

    /// The gamma the kernel used (resolved from `scale`/`auto`).
    #[napi(getter, catch_unwind)]
    pub fn gamma(&self) -> f64 {
        self.inner.gamma()
    }

    /// One intercept per one-vs-one pair.
    #[napi(getter, catch_unwind)]
    pub fn intercepts(&self) -> Float64Array {
        Float64Array::new(self.inner.intercepts().to_vec())
    }

    /// SMO iterations of each one-vs-one pair.
    #[napi(getter, catch_unwind)]
    pub fn n_iter(&self) -> Float64Array {
        Float64Array::new(self.inner.n_iter().iter().map(|&n| n as f64).collect())
    }

    /// False when an iteration cap stopped the solver early.
    #[napi(getter, catch_unwind)]
    pub fn converged(&self) -> bool {
        self.inner.converged()
    }
}
