//! Cross-validated accuracy of many SVC configurations at once, in parallel.
//!
//! [`cross_validate_svc`] scores every configuration on every fold in one call.
//! Work is shared wherever the answer allows it:
//!
//! - the dot-product (Gram) matrix of the whole data set is computed once
//!   (blocked, vectorised), when `n ≤ SearchOptions::gram_max_rows`
//!   (default 8192 rows, i.e. at most 512 MiB);
//! - every distinct kernel (kind and resolved γ, degree, coef0; `gamma='scale'`
//!   is resolved per training fold) is turned into one `n × n` `f32` kernel
//!   matrix, shared by every fold, C value, class weight and one-vs-one pair
//!   that uses it (only its entries between those folds' training rows are
//!   computed); matrices are built in batches that fit
//!   `SearchOptions::kernel_memory_bytes` (default 1 GiB);
//! - test-fold decision values are computed from the same Gram matrix;
//! - configurations that differ only in parameters their kernel ignores (γ of a
//!   linear kernel, degree outside poly, …) get bit-identical models: each such
//!   (kernel, fold, solver settings) is fitted and scored once and shared;
//! - each one-vs-one pair's kernel matrix of a (kernel, fold) used by several
//!   fits is copied out once and cloned by each fit (within a quarter of
//!   `kernel_memory_bytes`), instead of gathered again;
//! - the (configuration, fold) fits run in parallel with rayon, high C first,
//!   the whole call on one of the pool's threads; matrices too small to be
//!   worth splitting are computed without handing work to other threads.
//!
//! Above `gram_max_rows` each (configuration, fold) is an independent
//! [`fit`](crate::svm::fit) on the selected rows (kernel precomputed per fit when
//! it fits `cache_size_mb`, otherwise an LRU column cache).
//!
//! Results are deterministic: they do not depend on the number of threads.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use thiserror::Error;

use super::{summary, Fold};
use crate::data::{check_xy, DataError, Labels, Matrix};
use crate::svm::gram::{Gram, KernelMatrix};
use crate::svm::kernel::KernelSpec;
use crate::svm::one_vs_one::{self, Backend, Ovo};
use crate::svm::q_matrix::LocalQ;
use crate::svm::SvcModel;
use crate::svm::{resolve_gamma, ClassWeight, Gamma, SvcParams, SvmError};

/// The score of one configuration on one fold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoldScore {
    /// Fraction of the fold's test samples predicted right.
    pub accuracy: f64,
    /// Training time, including this fit's share of the kernel matrices it
    /// shares with other fits (matrix build time / number of fits using it, plus
    /// the Gram time / number of fits); a model shared by configurations that
    /// give the same fit counts for each of them by an equal share.
    pub fit_seconds: f64,
    /// Time to predict the test samples (shared likewise).
    pub score_seconds: f64,
    /// Whether every binary problem met the tolerance before its iteration cap.
    pub converged: bool,
}

/// Why a fold is unusable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FoldProblem {
    #[error("its training set is empty")]
    EmptyTrain,
    #[error("its test set is empty")]
    EmptyTest,
    #[error("row index {index} is out of range for a data set of {rows} rows")]
    IndexOutOfRange { index: usize, rows: usize },
    #[error("row {index} is in both its training and its test set")]
    Overlap { index: usize },
    #[error("its training set has a single class ({class}): SVC needs at least two")]
    SingleClass { class: u32 },
}

/// Errors of [`cross_validate_svc`]; all are found before any fit starts.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SearchError {
    #[error("config {config}: {source}")]
    Svm {
        config: usize,
        #[source]
        source: SvmError,
    },
    #[error("fold {fold}: {problem}")]
    Fold { fold: usize, problem: FoldProblem },
    #[error("n_jobs must be at least 1, got 0")]
    NoJobs,
    #[error("could not start a pool of {threads} threads: {message}")]
    ThreadPool { threads: usize, message: String },
    #[error("X has {0} rows: at most 4294967295 samples are supported")]
    TooManySamples(usize),
    #[error(transparent)]
    Data(#[from] DataError),
}

/// Memory limits of [`cross_validate_svc_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Largest data set (rows) for which the whole Gram matrix (`8·n²` bytes) is
    /// computed and shared; above it every fit computes its own kernel values.
    pub gram_max_rows: usize,
    /// Budget for the `f32` kernel matrices alive at once (`4·n²` bytes each; at
    /// least one is always built).
    pub kernel_memory_bytes: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            gram_max_rows: 8192,
            kernel_memory_bytes: 1 << 30,
        }
    }
}

/// Accuracy of every configuration on every fold: `result[config][fold]`.
///
/// Every configuration and fold is validated first; errors name the
/// configuration or fold index. `n_jobs`: `None` uses rayon's global pool (all
/// cores), `Some(k)` a pool of `k` threads for this call.
pub fn cross_validate_svc(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    n_jobs: Option<usize>,
) -> Result<Vec<Vec<FoldScore>>, SearchError> {
    cross_validate_svc_with(x, y, configs, folds, n_jobs, &SearchOptions::default())
}

/// The configuration with the highest mean accuracy over its folds (summed in
/// fold order, then divided by the number of folds), the first one on ties:
/// what `rank_test_score == 1` picks first in scikit-learn's search classes
/// (the rule of [`summary::best_index`]). `None` without configurations.
pub fn best_config(scores: &[Vec<FoldScore>]) -> Option<usize> {
    let means: Vec<f64> = scores
        .iter()
        .map(|row| summary::mean(&row.iter().map(|s| s.accuracy).collect::<Vec<_>>()))
        .collect();
    summary::best_index(&means)
}

/// The best configuration ([`best_config`]) fitted on all the data.
#[derive(Debug, Clone)]
pub struct Refit {
    /// Index of the configuration.
    pub best: usize,
    /// The model: the one [`fit`](crate::svm::fit) gives on the same data.
    pub model: SvcModel,
    /// Seconds the fit took.
    pub seconds: f64,
}

/// [`cross_validate_svc`], then the best configuration fitted on all of `x`
/// in the same call (reusing its dot products; `None` without configurations).
pub fn cross_validate_svc_refit(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    n_jobs: Option<usize>,
) -> Result<(Vec<Vec<FoldScore>>, Option<Refit>), SearchError> {
    run_search(
        x,
        y,
        configs,
        folds,
        n_jobs,
        &SearchOptions::default(),
        true,
    )
}

/// [`cross_validate_svc`] with explicit memory limits.
pub fn cross_validate_svc_with(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    n_jobs: Option<usize>,
    options: &SearchOptions,
) -> Result<Vec<Vec<FoldScore>>, SearchError> {
    run_search(x, y, configs, folds, n_jobs, options, false).map(|(scores, _)| scores)
}

type Outcome = (Vec<Vec<FoldScore>>, Option<Refit>);

fn run_search(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    n_jobs: Option<usize>,
    options: &SearchOptions,
    refit: bool,
) -> Result<Outcome, SearchError> {
    validate(x, y, configs, folds)?;
    let run = || {
        if x.rows() <= options.gram_max_rows {
            run_shared(x, y, configs, folds, options, refit)
        } else {
            run_independent(x, y, configs, folds, refit)
        }
    };
    match n_jobs {
        // the whole run on one of the pool's threads: its parallel loops then
        // split work there, instead of each handing work over from this thread
        None => rayon::scope(|_| run()),
        Some(0) => Err(SearchError::NoJobs),
        Some(threads) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| SearchError::ThreadPool {
                    threads,
                    message: e.to_string(),
                })?;
            pool.install(run)
        }
    }
}

fn validate(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
) -> Result<(), SearchError> {
    check_xy(x, y)?;
    let n = x.rows();
    if u32::try_from(n).is_err() {
        return Err(SearchError::TooManySamples(n));
    }
    for (config, params) in configs.iter().enumerate() {
        params
            .check_for(y.n_classes())
            .map_err(|source| SearchError::Svm { config, source })?;
    }
    let mut in_test = vec![false; n];
    for (k, fold) in folds.iter().enumerate() {
        let err = |problem| SearchError::Fold { fold: k, problem };
        if fold.train.is_empty() {
            return Err(err(FoldProblem::EmptyTrain));
        }
        if fold.test.is_empty() {
            return Err(err(FoldProblem::EmptyTest));
        }
        for &index in fold.train.iter().chain(&fold.test) {
            if index >= n {
                return Err(err(FoldProblem::IndexOutOfRange { index, rows: n }));
            }
        }
        for &t in &fold.test {
            in_test[t] = true;
        }
        let overlap = fold.train.iter().find(|&&r| in_test[r]).copied();
        for &t in &fold.test {
            in_test[t] = false;
        }
        if let Some(index) = overlap {
            return Err(err(FoldProblem::Overlap { index }));
        }
        let first = y.codes()[fold.train[0]];
        if fold.train.iter().all(|&r| y.codes()[r] == first) {
            return Err(err(FoldProblem::SingleClass { class: first }));
        }
    }
    Ok(())
}

/// Row-major values of the given rows, in order (what NumPy sees as `X[train]`).
fn gather_values(x: &Matrix, rows: &[usize]) -> Vec<f64> {
    let mut v = Vec::with_capacity(rows.len() * x.cols());
    for &r in rows {
        v.extend_from_slice(x.row(r));
    }
    v
}

fn spec_for(params: &SvcParams, gamma: f64) -> KernelSpec {
    KernelSpec {
        kind: params.kernel,
        gamma,
        degree: params.degree,
        coef0: params.coef0,
    }
}

/// Larger C usually means more SMO iterations: start those first.
fn by_cost_desc(
    configs: &[SvcParams],
) -> impl Fn(&(usize, usize), &(usize, usize)) -> std::cmp::Ordering + '_ {
    move |a, b| configs[b.0].c.total_cmp(&configs[a.0].c).then(a.cmp(b))
}

/// Accuracy of `ovo` on the test rows, kernel values from the Gram matrix.
fn score_from_gram(
    ovo: &Ovo,
    spec: &KernelSpec,
    gram: &Gram,
    train: &[usize],
    test: &[usize],
    y: &Labels,
) -> f64 {
    let sv_rows: Vec<usize> = ovo.sv.iter().map(|&p| train[p]).collect();
    let sv_sq: Vec<f64> = sv_rows.iter().map(|&r| gram.sq(r)).collect();
    let mut kvalue = vec![0.0; sv_rows.len()];
    let mut dec = vec![0.0; ovo.n_pairs()];
    let mut correct = 0usize;
    for &t in test {
        let g = gram.row(t);
        let st = gram.sq(t);
        for ((kv, &r), &sr) in kvalue.iter_mut().zip(&sv_rows).zip(&sv_sq) {
            *kv = spec.value_from_dot_clamped(g[r], st, sr);
        }
        ovo.decision_values(&kvalue, &mut dec);
        if ovo.classes[ovo.vote(&dec)] == y.codes()[t] {
            correct += 1;
        }
    }
    correct as f64 / test.len() as f64
}

/// The best configuration of `scores` fitted on all the data, by `fit`.
fn refit_best(
    scores: &[Vec<FoldScore>],
    configs: &[SvcParams],
    fit: impl FnOnce(&SvcParams) -> Result<SvcModel, SvmError>,
) -> Result<Option<Refit>, SearchError> {
    let Some(best) = best_config(scores) else {
        return Ok(None);
    };
    let t = Instant::now();
    let model = fit(&configs[best]).map_err(|source| SearchError::Svm {
        config: best,
        source,
    })?;
    Ok(Some(Refit {
        best,
        model,
        seconds: t.elapsed().as_secs_f64(),
    }))
}

/// What [`fit`](crate::svm::fit) gives, with the kernel matrix taken from the
/// Gram matrix of `x` (bit-identical to the one `fit` computes) and the pairs
/// solved in parallel.
fn fit_from_gram(
    params: &SvcParams,
    x: &Matrix,
    y: &Labels,
    gram: &Gram,
) -> Result<SvcModel, SvmError> {
    let spec = spec_for(params, resolve_gamma(params.gamma, x.as_slice(), x.cols()));
    let matrix = KernelMatrix::from_gram(gram, &spec);
    let kid: Vec<u32> = (0..x.rows() as u32).collect();
    let backend = Backend::Dense {
        matrix: &matrix,
        kid: &kid,
    };
    let ovo = one_vs_one::train(params, y.codes(), &backend, true)?;
    SvcModel::from_ovo(ovo, spec, x)
}

fn run_shared(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    options: &SearchOptions,
    refit: bool,
) -> Result<Outcome, SearchError> {
    let n_tasks = configs.len() * folds.len();
    if n_tasks == 0 {
        let scores = vec![Vec::new(); configs.len()];
        let refit = if refit {
            refit_best(&scores, configs, |p| crate::svm::fit(p, x, y))?
        } else {
            None
        };
        return Ok((scores, refit));
    }
    let start = Instant::now();
    let gram = Gram::new(x);
    let gram_share = start.elapsed().as_secs_f64() / n_tasks as f64;

    // γ per (config, fold); 'scale' needs the training fold's variance
    let any_scale = configs.iter().any(|c| c.gamma == Gamma::Scale);
    let scale: Vec<f64> = if any_scale {
        folds
            .par_iter()
            .map(|f| resolve_gamma(Gamma::Scale, &gather_values(x, &f.train), x.cols()))
            .collect()
    } else {
        Vec::new()
    };

    // distinct kernels, in first-seen order
    let mut group_of_key = BTreeMap::new();
    let mut groups: Vec<KernelSpec> = Vec::new();
    let mut group_tasks: Vec<Vec<(usize, usize)>> = Vec::new();
    for (ci, params) in configs.iter().enumerate() {
        for fi in 0..folds.len() {
            let gamma = match (params.gamma, scale.get(fi)) {
                (Gamma::Scale, Some(&g)) => g,
                (other, _) => resolve_gamma(other, &[], x.cols()),
            };
            let spec = spec_for(params, gamma);
            let g = *group_of_key.entry(spec.key()).or_insert_with(|| {
                groups.push(spec);
                group_tasks.push(Vec::new());
                groups.len() - 1
            });
            group_tasks[g].push((ci, fi));
        }
    }

    // training codes and kernel ids of each fold, shared by its fits
    let train_codes: Vec<Vec<u32>> = folds
        .iter()
        .map(|f| f.train.iter().map(|&r| y.codes()[r]).collect())
        .collect();
    let train_kids: Vec<Vec<u32>> = folds
        .iter()
        .map(|f| f.train.iter().map(|&r| r as u32).collect())
        .collect();

    let per_batch = (options.kernel_memory_bytes / KernelMatrix::bytes_for(x.rows()).max(1)).max(1);
    let mut results: Vec<Vec<Option<FoldScore>>> = vec![vec![None; folds.len()]; configs.len()];
    let group_ids: Vec<usize> = (0..groups.len()).collect();
    for batch in group_ids.chunks(per_batch) {
        let matrices: Vec<(Arc<KernelMatrix>, f64)> = batch
            .par_iter()
            .map(|&g| {
                let t = Instant::now();
                // only the entries between training rows of the folds using it are read
                let mut needed = vec![false; x.rows()];
                for &(_, fi) in &group_tasks[g] {
                    for &r in &folds[fi].train {
                        needed[r] = true;
                    }
                }
                let m = KernelMatrix::from_gram_rows(&gram, &groups[g], &needed);
                (
                    Arc::new(m),
                    t.elapsed().as_secs_f64() / group_tasks[g].len() as f64,
                )
            })
            .collect();
        // one fit per distinct (kernel, fold, solver settings): configurations that
        // differ only in parameters their kernel ignores (γ of a linear kernel, …)
        // get the same model, so it is trained once and its score shared
        let mut fit_of_key: BTreeMap<(usize, usize, FitKey), usize> = BTreeMap::new();
        let mut fits: Vec<(usize, usize, usize)> = Vec::new(); // (config, fold, index in batch)
        let mut sharers: Vec<Vec<usize>> = Vec::new(); // configs using each fit
        for (b, &g) in batch.iter().enumerate() {
            for &(ci, fi) in &group_tasks[g] {
                let id = *fit_of_key
                    .entry((b, fi, FitKey::of(&configs[ci])))
                    .or_insert_with(|| {
                        fits.push((ci, fi, b));
                        sharers.push(Vec::new());
                        fits.len() - 1
                    });
                sharers[id].push(ci);
            }
        }
        // each (kernel, fold) used by several fits copies its pairs' kernel
        // matrices once; the fits clone them (within a memory budget)
        let mut uses: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for &(_, fi, b) in &fits {
            *uses.entry((b, fi)).or_insert(0) += 1;
        }
        let mut budget = options.kernel_memory_bytes / 4;
        let shared: Vec<(usize, usize)> = uses
            .iter()
            .filter(|&(_, &n)| n > 1)
            .map(|(&key, _)| key)
            .filter(|&(_, fi)| {
                let bytes = one_vs_one::local_copies_bytes(&train_codes[fi]);
                let fits_budget = bytes <= budget;
                if fits_budget {
                    budget -= bytes;
                }
                fits_budget
            })
            .collect();
        let copies: BTreeMap<(usize, usize), PairCopies> = shared
            .par_iter()
            .map(|&(b, fi)| {
                let t = Instant::now();
                let local =
                    one_vs_one::local_copies(&train_codes[fi], &matrices[b].0, &train_kids[fi]);
                let share = t.elapsed().as_secs_f64() / uses[&(b, fi)] as f64;
                ((b, fi), (local, share))
            })
            .collect();
        let order = by_cost_desc(configs);
        let mut tasks: Vec<usize> = (0..fits.len()).collect();
        tasks.sort_by(|&a, &b| order(&(fits[a].0, fits[a].1), &(fits[b].0, fits[b].1)));
        // nested parallelism only when there are too few fits to keep every thread busy
        // (it also keeps each fit's measured time its own)
        let pairs_in_parallel = tasks.len() < 2 * rayon::current_num_threads();
        let scored: Vec<Result<(usize, FoldScore), SearchError>> = tasks
            .par_iter()
            .map(|&id| {
                let (ci, fi, b) = fits[id];
                let (matrix, share) = &matrices[b];
                let spec = &groups[batch[b]];
                let fold = &folds[fi];
                let t = Instant::now();
                let (codes, kid) = (&train_codes[fi], &train_kids[fi]);
                let (backend, copy_share) = match copies.get(&(b, fi)) {
                    Some((local, copy_share)) => {
                        (Backend::Local { matrix, kid, local }, *copy_share)
                    }
                    None => (Backend::Dense { matrix, kid }, 0.0),
                };
                let ovo = one_vs_one::train(&configs[ci], codes, &backend, pairs_in_parallel)
                    .map_err(|source| SearchError::Svm { config: ci, source })?;
                let n_share = sharers[id].len() as f64;
                let fit_seconds =
                    (t.elapsed().as_secs_f64() + copy_share) / n_share + share + gram_share;
                let t = Instant::now();
                let accuracy = score_from_gram(&ovo, spec, &gram, &fold.train, &fold.test, y);
                let score_seconds = t.elapsed().as_secs_f64() / n_share;
                Ok((
                    id,
                    FoldScore {
                        accuracy,
                        fit_seconds,
                        score_seconds,
                        converged: ovo.converged,
                    },
                ))
            })
            .collect();
        for r in scored {
            let (id, s) = r?;
            let fi = fits[id].1;
            for &ci in &sharers[id] {
                results[ci][fi] = Some(s);
            }
        }
    }
    let scores: Vec<Vec<FoldScore>> = results
        .into_iter()
        .map(|row| row.into_iter().flatten().collect())
        .collect();
    let refit = if refit {
        refit_best(&scores, configs, |p| fit_from_gram(p, x, y, &gram))?
    } else {
        None
    };
    Ok((scores, refit))
}

/// Each pair's kernel matrix of one (kernel, fold), and each fit's share of the
/// time copying them took.
type PairCopies = (Vec<Option<LocalQ>>, f64);

/// The settings besides the kernel that a one-vs-one fit depends on: equal
/// keys (with equal kernel and fold) give bit-identical models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FitKey {
    c: u64,
    tol: u64,
    shrinking: bool,
    max_iter: Option<u64>,
    /// 0 uniform, 1 balanced, 2 per class (with the weights' bits)
    class_weight: (u8, Vec<u64>),
}

impl FitKey {
    fn of(p: &SvcParams) -> Self {
        Self {
            c: p.c.to_bits(),
            tol: p.tol.to_bits(),
            shrinking: p.shrinking,
            max_iter: p.max_iter,
            class_weight: match &p.class_weight {
                ClassWeight::Uniform => (0, Vec::new()),
                ClassWeight::Balanced => (1, Vec::new()),
                ClassWeight::PerClass(w) => (2, w.iter().map(|v| v.to_bits()).collect()),
            },
        }
    }
}

fn run_independent(
    x: &Matrix,
    y: &Labels,
    configs: &[SvcParams],
    folds: &[Fold],
    refit: bool,
) -> Result<Outcome, SearchError> {
    let mut tasks: Vec<(usize, usize)> = (0..configs.len())
        .flat_map(|c| (0..folds.len()).map(move |f| (c, f)))
        .collect();
    tasks.sort_by(by_cost_desc(configs));
    let pairs_in_parallel = tasks.len() < 2 * rayon::current_num_threads();
    let scored: Vec<Result<(usize, usize, FoldScore), SearchError>> = tasks
        .par_iter()
        .map(|&(ci, fi)| {
            let params = &configs[ci];
            let fold = &folds[fi];
            let wrap = |source| SearchError::Svm { config: ci, source };
            let t = Instant::now();
            let x_train = x.select_rows(&fold.train)?;
            let y_train = y.select(&fold.train)?;
            let model = crate::svm::fit_with(params, &x_train, &y_train, pairs_in_parallel)
                .map_err(wrap)?;
            let fit_seconds = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let x_test = x.select_rows(&fold.test)?;
            let y_test = y.select(&fold.test)?;
            let accuracy = model.score(&x_test, &y_test).map_err(wrap)?;
            let score_seconds = t.elapsed().as_secs_f64();
            Ok((
                ci,
                fi,
                FoldScore {
                    accuracy,
                    fit_seconds,
                    score_seconds,
                    converged: model.converged(),
                },
            ))
        })
        .collect();
    let mut results: Vec<Vec<Option<FoldScore>>> = vec![vec![None; folds.len()]; configs.len()];
    for r in scored {
        let (ci, fi, s) = r?;
        results[ci][fi] = Some(s);
    }
    let scores: Vec<Vec<FoldScore>> = results
        .into_iter()
        .map(|row| row.into_iter().flatten().collect())
        .collect();
    let refit = if refit {
        refit_best(&scores, configs, |p| crate::svm::fit(p, x, y))?
    } else {
        None
    };
    Ok((scores, refit))
}
