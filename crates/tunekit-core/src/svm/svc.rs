//! The C-SVC estimator: [`fit`] and the fitted [`SvcModel`].

use rayon::prelude::*;

use super::error::SvmError;
use super::gamma::resolve_gamma;
use super::gram::KernelMatrix;
use super::kernel::KernelSpec;
use super::one_vs_one::{self, Backend, Ovo};
use super::params::SvcParams;
use crate::data::{check_xy, DataError, Labels, Matrix};

/// Kernel matrices below this size (512 rows) are fitted without rayon.
const SMALL_FIT_BYTES: usize = 1 << 20;

/// A fitted C-SVC (one-vs-one over the classes present in the training labels).
#[derive(Debug, Clone)]
pub struct SvcModel {
    ovo: Ovo,
    /// copies of the support vectors (row-major, `n_features` columns), grouped by
    /// class; a plain vector because a model may have no support vector at all
    /// (every class weight 0), which a `Matrix` cannot hold
    sv_x: Vec<f64>,
    spec: KernelSpec,
    n_features: usize,
    intercepts: Vec<f64>,
}

/// Fits a C-SVC on `x` (one sample per row) and class codes `y`.
///
/// The kernel matrix of the training set is precomputed (as `f32`) when it fits
/// in `params.cache_size_mb`; otherwise each binary problem computes kernel
/// columns on demand with an LRU cache of that size. Both give the same model.
pub fn fit(params: &SvcParams, x: &Matrix, y: &Labels) -> Result<SvcModel, SvmError> {
    fit_with(params, x, y, true)
}

/// [`fit`], solving the one-vs-one pairs in parallel or not.
pub(crate) fn fit_with(
    params: &SvcParams,
    x: &Matrix,
    y: &Labels,
    parallel: bool,
) -> Result<SvcModel, SvmError> {
    check_xy(x, y)?;
    params.check_for(y.n_classes())?;
    let n = x.rows();
    if u32::try_from(n).is_err() {
        return Err(SvmError::TooManySamples(n));
    }
    let gamma = resolve_gamma(params.gamma, x.as_slice(), x.cols());
    let spec = KernelSpec {
        kind: params.kernel,
        gamma,
        degree: params.degree,
        coef0: params.coef0,
    };
    // a small problem is solved on the calling thread: handing its pairs to
    // rayon's pool would cost more than it saves (same model either way)
    let parallel = parallel && KernelMatrix::bytes_for(n) >= SMALL_FIT_BYTES;
    let ovo = train_on(params, &spec, x, y.codes(), parallel)?;
    SvcModel::from_ovo(ovo, spec, x)
}

/// Trains the one-vs-one model on a training matrix, choosing the kernel backend
/// from the cache budget.
/// `parallel`: solve the one-vs-one pairs in parallel.
pub(crate) fn train_on(
    params: &SvcParams,
    spec: &KernelSpec,
    x: &Matrix,
    codes: &[u32],
    parallel: bool,
) -> Result<Ovo, SvmError> {
    let n = x.rows();
    // `as` saturates; the budget was checked positive and finite
    let cache_bytes = (params.cache_size_mb * 1024.0 * 1024.0) as usize;
    if KernelMatrix::bytes_for(n) <= cache_bytes {
        let matrix = KernelMatrix::from_data(x, spec);
        let kid: Vec<u32> = (0..n as u32).collect();
        one_vs_one::train(
            params,
            codes,
            &Backend::Dense {
                matrix: &matrix,
                kid: &kid,
            },
            parallel,
        )
    } else {
        one_vs_one::train(
            params,
            codes,
            &Backend::Lru {
                x,
                spec: *spec,
                cache_bytes,
            },
            parallel,
        )
    }
}

impl SvcModel {
    pub(crate) fn from_ovo(ovo: Ovo, spec: KernelSpec, x_train: &Matrix) -> Result<Self, SvmError> {
        let mut sv_x = Vec::with_capacity(ovo.sv.len() * x_train.cols());
        for &p in &ovo.sv {
            if p >= x_train.rows() {
                return Err(DataError::IndexOutOfRange {
                    index: p,
                    rows: x_train.rows(),
                }
                .into());
            }
            sv_x.extend_from_slice(x_train.row(p));
        }
        let intercepts = if ovo.n_classes() == 2 {
            ovo.rho.clone()
        } else {
            ovo.rho.iter().map(|r| -r).collect()
        };
        Ok(Self {
            ovo,
            sv_x,
            spec,
            n_features: x_train.cols(),
            intercepts,
        })
    }

    fn check_features(&self, x: &Matrix) -> Result<(), SvmError> {
        if x.cols() != self.n_features {
            return Err(SvmError::FeatureMismatch {
                got: x.cols(),
                expected: self.n_features,
            });
        }
        Ok(())
    }

    /// Pair decision values, `n × n_pairs` row-major, LIBSVM's sign: positive
    /// means the first class of the pair. Pairs are ordered (0,1), (0,2), …, (1,2), …
    /// over the indices of [`classes`](Self::classes).
    pub fn decision_function_ovo(&self, x: &Matrix) -> Result<Vec<f64>, SvmError> {
        self.check_features(x)?;
        let n_pairs = self.ovo.n_pairs();
        let n_sv = self.ovo.sv.len();
        let d = self.n_features;
        let mut out = vec![0.0; x.rows() * n_pairs];
        out.par_chunks_mut(n_pairs).enumerate().for_each_init(
            || vec![0.0; n_sv],
            |kvalue, (i, dec)| {
                let row = x.row(i);
                for (s, kv) in kvalue.iter_mut().enumerate() {
                    *kv = self.spec.eval(row, &self.sv_x[s * d..(s + 1) * d]);
                }
                self.ovo.decision_values(kvalue, dec);
            },
        );
        Ok(out)
    }

    /// Predicted class codes (majority vote, ties to the smallest class code).
    pub fn predict(&self, x: &Matrix) -> Result<Vec<u32>, SvmError> {
        let dec = self.decision_function_ovo(x)?;
        let n_pairs = self.ovo.n_pairs();
        Ok(dec
            .chunks(n_pairs.max(1))
            .map(|d| self.ovo.classes[self.ovo.vote(d)])
            .collect())
    }

    /// scikit-learn's default `decision_function`: for two classes, one value per
    /// sample, positive for the second class (scikit-learn flips LIBSVM's sign);
    /// for more, `n × n_classes` (row-major) of votes plus
    /// `s / (3(|s| + 1))` where `s` is the summed confidence (scikit-learn's
    /// `decision_function_shape='ovr'`).
    pub fn decision_function(&self, x: &Matrix) -> Result<Vec<f64>, SvmError> {
        let dec = self.decision_function_ovo(x)?;
        let k = self.ovo.n_classes();
        if k == 2 {
            return Ok(dec.iter().map(|d| -d).collect());
        }
        let n_pairs = self.ovo.n_pairs();
        let mut out = Vec::with_capacity(x.rows() * k);
        for d in dec.chunks(n_pairs.max(1)) {
            out.extend(ovr_transform(d, k));
        }
        Ok(out)
    }

    /// Accuracy on `(x, y)`.
    pub fn score(&self, x: &Matrix, y: &Labels) -> Result<f64, SvmError> {
        check_xy(x, y)?;
        let pred = self.predict(x)?;
        let correct = pred.iter().zip(y.codes()).filter(|(p, t)| p == t).count();
        Ok(correct as f64 / y.len() as f64)
    }

    /// The class codes seen in training, sorted.
    pub fn classes(&self) -> &[u32] {
        &self.ovo.classes
    }

    /// Number of support vectors of each class, in [`classes`](Self::classes) order.
    pub fn n_support(&self) -> Vec<usize> {
        self.ovo.n_support()
    }

    /// Training row indices of the support vectors, grouped by class.
    pub fn support(&self) -> &[usize] {
        &self.ovo.sv
    }

    /// The γ used (resolved from `'scale'` / `'auto'`).
    pub fn gamma(&self) -> f64 {
        self.spec.gamma
    }

    /// scikit-learn's `intercept_`: `−ρ` of each pair for more than two classes;
    /// for two classes `+ρ` (scikit-learn flips the binary sign so that a positive
    /// decision means the second class).
    pub fn intercepts(&self) -> &[f64] {
        &self.intercepts
    }

    /// SMO iterations of each binary problem, in pair order.
    pub fn n_iter(&self) -> Vec<u64> {
        self.ovo.n_iter.clone()
    }

    /// Whether every binary problem met the stopping tolerance before its
    /// iteration cap.
    pub fn converged(&self) -> bool {
        self.ovo.converged
    }

    /// The pair coefficients in LIBSVM's layout (`(n_classes − 1) × n_SV`,
    /// row-major), LIBSVM's sign (scikit-learn's `_dual_coef_`).
    pub fn dual_coef(&self) -> &[f64] {
        &self.ovo.coef
    }
}

/// scikit-learn's `_ovr_decision_function(dec < 0, −dec, k)` for one sample.
pub(crate) fn ovr_transform(dec: &[f64], k: usize) -> Vec<f64> {
    let mut votes = vec![0.0; k];
    let mut conf = vec![0.0; k];
    let mut p = 0;
    for a in 0..k {
        for b in a + 1..k {
            let confidence = -dec[p];
            conf[a] -= confidence;
            conf[b] += confidence;
            if dec[p] < 0.0 {
                votes[b] += 1.0;
            } else {
                votes[a] += 1.0;
            }
            p += 1;
        }
    }
    votes
        .iter()
        .zip(&conf)
        .map(|(v, s)| v + s / (3.0 * (s.abs() + 1.0)))
        .collect()
}
