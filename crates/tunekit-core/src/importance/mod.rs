//! Hyper-parameter importance: how much each parameter of a search space
//! explains the objective, from the COMPLETE trials of a study.
//!
//! Two evaluators, as Optuna offers them (their defaults are Optuna 5.1's):
//!
//! - **PED-ANOVA** ([`ped_anova`]): S. Watanabe, A. Bansal, F. Hutter,
//!   *PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in
//!   Arbitrary Subspaces*, IJCAI 2023 (arXiv:2304.10255). The importance of a
//!   parameter is the Pearson divergence between the 1-D Parzen estimator of
//!   its values in the top-`target_quantile` trials and the one in the
//!   top-`region_quantile` trials (all of them by default), each estimator
//!   built on a grid of at most 50 points (Scott's bandwidth; log parameters
//!   in log space; integers and stepped floats on their levels; categories
//!   by count). Closed form, no randomness.
//! - **fANOVA** ([`fanova`]): F. Hutter, H. Hoos, K. Leyton-Brown, *An
//!   Efficient Approach for Assessing Hyperparameter Importance*, ICML 2014.
//!   A regression random forest ([`forest`]: CART trees on bootstrap samples,
//!   L. Breiman, *Random Forests*, Machine Learning 45, 2001) is fitted to the
//!   targets; for each tree the variance of the marginal prediction of each
//!   parameter is computed exactly over the tree's leaf partition and divided
//!   by the tree's total variance; the fractions are averaged over the trees.
//!   Parameters are in their own units (log parameters too, as Optuna's
//!   `FanovaImportanceEvaluator` leaves them); a categorical parameter is
//!   one-hot encoded and its columns are marginalised together. Trees are
//!   grown and evaluated in parallel (rayon); each tree's random stream comes
//!   from the seed and the tree's index, so a seed gives one answer whatever
//!   the number of threads.
//!
//! Both return importances normalised to sum 1 (equal shares when every
//! importance is 0, as Optuna's `get_param_importances` does) and the order
//! of the parameters from the most to the least important. A parameter with a
//! single possible value gets 0.
//!
//! Input: a [`Space`] (the parameters), the trials' values in the space's
//! value form (row-major, one row per trial, a category by its index) and one
//! finite target per trial; PED-ANOVA takes lower targets as better (negate a
//! maximised objective), fANOVA does not care.

mod error;
pub mod fanova;
pub mod forest;
pub mod ped_anova;

pub use error::ImportanceError;
pub use fanova::FanovaOptions;
pub use ped_anova::PedAnovaOptions;

use crate::space::{Space, SpaceError};

/// Which evaluator, with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    PedAnova(PedAnovaOptions),
    Fanova(FanovaOptions),
}

impl Default for Evaluator {
    /// PED-ANOVA with its defaults, Optuna 5's default evaluator.
    fn default() -> Self {
        Evaluator::PedAnova(PedAnovaOptions::default())
    }
}

/// The trials an evaluator reads, checked.
#[derive(Debug, Clone, Copy)]
pub struct Trials<'a> {
    pub space: &'a Space,
    /// `n × d` values in the space's value form, row-major.
    pub points: &'a [f64],
    /// One target per trial.
    pub targets: &'a [f64],
    /// The trials' numbers, for messages (empty: rows are named by index).
    pub numbers: &'a [i64],
}

impl Trials<'_> {
    /// Number of trials.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there is no trial.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Trial `i`'s value of parameter `j`.
    pub fn value(&self, i: usize, j: usize) -> f64 {
        self.points[i * self.space.len() + j]
    }

    fn name(&self, i: usize) -> String {
        match self.numbers.get(i) {
            Some(n) => format!("trial {n}"),
            None => format!("trial row {i}"),
        }
    }

    /// Checks shapes, targets and every value against its domain.
    pub fn check(&self) -> Result<(), ImportanceError> {
        let d = self.space.len();
        if d == 0 {
            return Err(ImportanceError::NoParams);
        }
        let n = self.targets.len();
        if self.points.len() != n * d {
            return Err(ImportanceError::Shape {
                len: self.points.len(),
                rows: n,
                cols: d,
                expected: n * d,
            });
        }
        if n < 2 {
            return Err(ImportanceError::TooFewTrials { got: n });
        }
        for (i, &t) in self.targets.iter().enumerate() {
            if !t.is_finite() {
                return Err(ImportanceError::NonFiniteTarget {
                    trial: self.name(i),
                    value: t,
                });
            }
        }
        for i in 0..n {
            let row = &self.points[i * d..(i + 1) * d];
            if let Err(SpaceError::OutOfDomain {
                name,
                value,
                domain,
            }) = self.space.check_point(row)
            {
                return Err(ImportanceError::OutOfDomain {
                    trial: self.name(i),
                    name,
                    value,
                    domain,
                });
            }
        }
        Ok(())
    }
}

/// Normalised importances and their order.
#[derive(Debug, Clone, PartialEq)]
pub struct Importances {
    /// One per parameter, in the space's order, summing to 1.
    pub values: Vec<f64>,
    /// Parameter indices from the most to the least important (ties: the
    /// later parameter first, as Optuna's reversed stable sort gives).
    pub order: Vec<usize>,
}

/// Raw importances → normalised to sum 1 (equal shares if all are 0), and
/// their descending order.
pub fn normalise(raw: &[f64]) -> Importances {
    let sum: f64 = raw.iter().sum();
    let values: Vec<f64> = if sum > 0.0 {
        raw.iter().map(|v| v / sum).collect()
    } else {
        vec![1.0 / raw.len().max(1) as f64; raw.len()]
    };
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order.reverse();
    Importances { values, order }
}

/// The importances of `trials`' parameters by `evaluator`.
pub fn evaluate(
    trials: &Trials<'_>,
    evaluator: &Evaluator,
) -> Result<Importances, ImportanceError> {
    let raw = raw_importances(trials, evaluator)?;
    Ok(normalise(&raw))
}

/// The evaluator's importances before normalisation, in the space's order.
pub fn raw_importances(
    trials: &Trials<'_>,
    evaluator: &Evaluator,
) -> Result<Vec<f64>, ImportanceError> {
    match evaluator {
        Evaluator::PedAnova(o) => {
            o.check()?;
            trials.check()?;
            Ok(ped_anova::importances(trials, o))
        }
        Evaluator::Fanova(o) => {
            o.check()?;
            trials.check()?;
            fanova::importances(trials, o)
        }
    }
}
