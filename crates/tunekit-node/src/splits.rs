//! Folds, splits and parameter sampling (scikit-learn-exact, seeded).

use napi::bindgen_prelude::Uint32Array;
use napi::Result;
use napi_derive::napi;
use tunekit_core::model_selection::kfold::KFold;
use tunekit_core::model_selection::ordered_split::train_test_split_unshuffled;
use tunekit_core::model_selection::param_sampler::{sample_parameters, Distribution, Sampled};
use tunekit_core::model_selection::split_error::SplitSize;
use tunekit_core::model_selection::stratified_kfold::StratifiedKFold;
use tunekit_core::model_selection::train_test_split::train_test_split;
use tunekit_core::model_selection::Fold;

use crate::error::{js, Code, ConvertError};
use crate::matrix::{from_indices, to_labels};
use crate::search::FoldIndices;

fn to_js(folds: Vec<Fold>) -> Vec<FoldIndices> {
    folds
        .into_iter()
        .map(|f| FoldIndices {
            train: from_indices(&f.train),
            test: from_indices(&f.test),
        })
        .collect()
}

/// scikit-learn's `KFold(nSplits, shuffle, random_state=seed)` over `nSamples` rows.
#[napi(catch_unwind)]
pub fn kfold_split(
    n_samples: u32,
    n_splits: u32,
    shuffle: bool,
    seed: Option<u32>,
) -> Result<Vec<FoldIndices>> {
    let kf = KFold {
        n_splits: n_splits as usize,
        shuffle,
        seed,
    };
    kf.split(n_samples as usize).map(to_js).map_err(js)
}

/// scikit-learn's `StratifiedKFold(nSplits, shuffle, random_state=seed)` over class codes `y`.
#[napi(catch_unwind)]
pub fn stratified_kfold_split(
    y: Uint32Array,
    n_classes: u32,
    n_splits: u32,
    shuffle: bool,
    seed: Option<u32>,
) -> Result<Vec<FoldIndices>> {
    let skf = StratifiedKFold {
        n_splits: n_splits as usize,
        shuffle,
        seed,
    };
    skf.split(&to_labels(&y, n_classes)?).map(to_js).map_err(js)
}

/// Sizes and options of `trainTestSplitIndices` (a fraction or a count for each size).
#[napi(object)]
pub struct SplitOptions {
    pub test_fraction: Option<f64>,
    pub test_count: Option<u32>,
    pub train_fraction: Option<f64>,
    pub train_count: Option<u32>,
    pub shuffle: bool,
    pub seed: Option<u32>,
    pub stratify: Option<Uint32Array>,
    pub n_classes: Option<u32>,
}

fn size(fraction: Option<f64>, count: Option<u32>) -> Option<SplitSize> {
    match (fraction, count) {
        (Some(f), _) => Some(SplitSize::Fraction(f)),
        (None, Some(c)) => Some(SplitSize::Count(c as usize)),
        (None, None) => None,
    }
}

/// Row indices of scikit-learn's `train_test_split` (ShuffleSplit or
/// StratifiedShuffleSplit); sizes left out follow the core's
/// `split_sizes` (scikit-learn's defaults).
#[napi(catch_unwind)]
pub fn train_test_split_indices(n_samples: u32, options: SplitOptions) -> Result<FoldIndices> {
    let train_size = size(options.train_fraction, options.train_count);
    let test_size = size(options.test_fraction, options.test_count);
    let n = n_samples as usize;
    let labels = match (&options.stratify, options.n_classes) {
        (Some(y), Some(k)) => Some(to_labels(y, k)?),
        (Some(_), None) => {
            return Err(js(ConvertError::Missing {
                what: "nClasses (the number of classes of stratify)".to_owned(),
                code: Code::InvalidSplit,
            }))
        }
        _ => None,
    };
    let (train, test) = if options.shuffle {
        train_test_split(n, test_size, train_size, options.seed, labels.as_ref())
    } else {
        train_test_split_unshuffled(n, test_size, train_size)
    }
    .map_err(js)?;
    Ok(FoldIndices {
        train: from_indices(&train),
        test: from_indices(&test),
    })
}

/// A scipy.stats distribution, or a list to choose from (core `Distribution`).
#[napi(string_enum = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionKind {
    Uniform,
    Loguniform,
    Randint,
    Choice,
}

/// One parameter's distribution: `uniform` (a = loc, b = scale), `loguniform`
/// (a, b), `randint` (a = low, b = high), or `choice` among `n` listed values.
#[napi(object)]
pub struct DistributionSpec {
    pub name: String,
    pub kind: DistributionKind,
    pub a: f64,
    pub b: f64,
    pub n: Option<u32>,
}

/// One sampled value: `value` for distributions, `index` into the list for `choice`.
#[napi(object)]
pub struct SampledValue {
    pub name: String,
    pub value: f64,
    pub index: Option<u32>,
}

fn integer(d: &DistributionSpec, what: &str, v: f64) -> Result<i64> {
    if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 9e15 {
        return Err(js(ConvertError::Integer {
            what: format!("parameter {:?}: randint {what}", d.name),
            value: v,
            expected: "an integer",
            code: Code::InvalidParameter,
        }));
    }
    Ok(v as i64)
}

fn to_distribution(d: &DistributionSpec) -> Result<(String, Distribution)> {
    let dist = match d.kind {
        DistributionKind::Uniform => Distribution::Uniform {
            loc: d.a,
            scale: d.b,
        },
        DistributionKind::Loguniform => Distribution::LogUniform { a: d.a, b: d.b },
        DistributionKind::Randint => Distribution::RandInt {
            low: integer(d, "low", d.a)?,
            high: integer(d, "high", d.b)?,
        },
        DistributionKind::Choice => Distribution::Choice(d.n.unwrap_or(0) as usize),
    };
    Ok((d.name.clone(), dist))
}

/// `nIter` settings drawn as scikit-learn's `ParameterSampler` draws them for `seed`.
#[napi(catch_unwind)]
pub fn draw_parameters(
    specs: Vec<DistributionSpec>,
    n_iter: u32,
    seed: Option<u32>,
) -> Result<Vec<Vec<SampledValue>>> {
    let params = specs
        .iter()
        .map(to_distribution)
        .collect::<Result<Vec<_>>>()?;
    let rows = sample_parameters(&params, n_iter as usize, seed).map_err(js)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(name, s)| match s {
                    Sampled::Float(v) => SampledValue {
                        name,
                        value: v,
                        index: None,
                    },
                    Sampled::Int(v) => SampledValue {
                        name,
                        value: v as f64,
                        index: None,
                    },
                    Sampled::Index(i) => SampledValue {
                        name,
                        value: i as f64,
                        index: Some(i as u32),
                    },
                })
                .collect()
        })
        .collect())
}
