//! Hyper-parameters of the C-SVC, with scikit-learn's defaults and validation.

use super::error::SvmError;

/// The kernel function `K(x, z)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// `xᵀz`
    Linear,
    /// `exp(−γ‖x − z‖²)`
    Rbf,
    /// `(γ xᵀz + coef0)^degree`
    Poly,
    /// `tanh(γ xᵀz + coef0)`
    Sigmoid,
}

/// How `γ` is chosen (scikit-learn's `gamma`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gamma {
    /// `1 / (n_features · var(X_train))`, the variance taken over every element of
    /// the training matrix; `1.0` when that variance is 0.
    Scale,
    /// `1 / n_features`.
    Auto,
    /// A fixed value; must be positive and finite.
    Value(f64),
}

/// Per-class multipliers of `C` (scikit-learn's `class_weight`).
#[derive(Debug, Clone, PartialEq)]
pub enum ClassWeight {
    /// Every class gets `C`.
    Uniform,
    /// Class `c` gets `C · n_samples / (n_classes_present · count_c)`, counted on the
    /// training labels, as scikit-learn's `"balanced"`.
    Balanced,
    /// Class code `c` gets `C · weights[c]`; one finite, non-negative weight per class
    /// code (`len == Labels::n_classes()`), checked at fit time.
    PerClass(Vec<f64>),
}

/// Parameters of a C-support vector classifier.
#[derive(Clone, Debug)]
pub struct SvcParams {
    pub c: f64,
    pub kernel: Kernel,
    pub gamma: Gamma,
    pub degree: u32,
    pub coef0: f64,
    /// Stopping tolerance on the maximal violating pair (libsvm's `eps`).
    pub tol: f64,
    pub shrinking: bool,
    pub class_weight: ClassWeight,
    /// Iteration cap of each binary sub-problem; `None` applies libsvm's own cap
    /// `max(10_000_000, 100·l)`.
    pub max_iter: Option<u64>,
    /// Memory for kernel values of one fit, in MiB: the whole training kernel is
    /// precomputed when it fits, otherwise columns are cached (LRU) in this much.
    pub cache_size_mb: f64,
}

impl Default for SvcParams {
    /// scikit-learn 1.2's `SVC()` defaults.
    fn default() -> Self {
        Self {
            c: 1.0,
            kernel: Kernel::Rbf,
            gamma: Gamma::Scale,
            degree: 3,
            coef0: 0.0,
            tol: 1e-3,
            shrinking: true,
            class_weight: ClassWeight::Uniform,
            max_iter: None,
            cache_size_mb: 200.0,
        }
    }
}

impl SvcParams {
    /// Checks every value that does not depend on the data. The length of
    /// [`ClassWeight::PerClass`] is checked by `fit`, which knows the classes.
    ///
    /// `gamma` must be strictly positive (scikit-learn accepts 0; a zero gamma makes
    /// the kernel constant, so it is rejected here).
    pub fn check(&self) -> Result<(), SvmError> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(SvmError::InvalidC(self.c));
        }
        if let Gamma::Value(g) = self.gamma {
            if !(g.is_finite() && g > 0.0) {
                return Err(SvmError::InvalidGamma(g));
            }
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(SvmError::InvalidTol(self.tol));
        }
        if !self.coef0.is_finite() {
            return Err(SvmError::InvalidCoef0(self.coef0));
        }
        if let Some(0) = self.max_iter {
            return Err(SvmError::InvalidMaxIter(0));
        }
        if !(self.cache_size_mb.is_finite() && self.cache_size_mb > 0.0) {
            return Err(SvmError::InvalidCacheSize(self.cache_size_mb));
        }
        if let ClassWeight::PerClass(w) = &self.class_weight {
            if let Some((class, &value)) = w
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
            {
                return Err(SvmError::InvalidClassWeight { class, value });
            }
        }
        Ok(())
    }

    /// [`check`](Self::check) plus the checks that need the number of class codes.
    pub(crate) fn check_for(&self, n_classes: usize) -> Result<(), SvmError> {
        self.check()?;
        if let ClassWeight::PerClass(w) = &self.class_weight {
            if w.len() != n_classes {
                return Err(SvmError::ClassWeightLength {
                    got: w.len(),
                    expected: n_classes,
                });
            }
        }
        Ok(())
    }

    /// The iteration cap of a sub-problem with `l` variables.
    pub(crate) fn iteration_cap(&self, l: usize) -> u64 {
        match self.max_iter {
            Some(k) => k,
            None => 10_000_000u64.max(100u64.saturating_mul(l as u64)),
        }
    }
}
