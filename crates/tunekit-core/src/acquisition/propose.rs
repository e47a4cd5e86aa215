//! The stateless Bayesian-optimisation step used by the samplers.
//!
//! [`propose`] is a pure function of its request: fit a Gaussian process to the
//! observed points (encoded to the unit cube, targets standardised), maximise
//! the acquisition function, and return `n` distinct valid points.
//!
//! - **Few data**: with fewer than 2 observations, or all targets equal, the
//!   points come from the seeded Owen-scrambled Sobol sequence
//!   ([`Space::from_unit`] of points 0, 1, 2, …), skipping points already
//!   observed, pending or chosen; their acquisition values are NaN.
//! - **Targets**: standardised, then warped by a Yeo-Johnson power transform
//!   with λ ∈ [−1, 3] fitted by maximum likelihood, then standardised again
//!   (see `warp.rs`; strictly increasing, so the incumbent is unchanged).
//! - **Model**: Matérn 5/2 (or the requested kernel) with one length scale per
//!   parameter, signal variance and a fitted noise variance, maximum a
//!   posteriori with the priors of [`crate::gp::lml`]; fixed `alpha = 1e-8`.
//!   Cold: from length scales 1, variance 1, noise 1e-3 plus `fit_restarts`
//!   random starts, at most [`COLD_MAX_ITER`] L-BFGS iterations, relative
//!   tolerance 1e-7. Warm (from `warm_start`, the `hyper` of a previous
//!   proposal): a first step of at most 0.05 in log space, at most
//!   [`WARM_MAX_ITER`] iterations, tolerance 1e-6. Either way the random
//!   restarts run only up to [`RESTARTS_UP_TO`] observations. With more than [`FIT_SUBSET`]
//!   observations the hyper-parameters are fitted on a subset of that size
//!   (the best fifth plus an even stride through the rest) and the model is then
//!   conditioned on all points with them. Targets are standardised here, so the
//!   GP itself does not normalise them again.
//! - **Pending points and batches**: *constant liar* with the lie set to the
//!   minimum observed target (CL-min, Ginsbourger, Le Riche & Carraro 2010,
//!   pessimistic for maximisation). Pending points, then each point chosen for
//!   the batch, are added to the model as observations of the lie with the
//!   hyper-parameters kept (the Cholesky factor is extended, not recomputed).
//!   The lie lowers the mean and the variance around them, which pushes the
//!   next choice away. A chosen point always differs from the pending ones,
//!   from the other points of the batch and from the observed ones (compared on
//!   the encoded coordinates to 1e-9); an observed point is repeated only when
//!   every valid point has been observed.
//! - **Constraints and failures** (see `feasibility.rs`): with constraint
//!   values per observation, one GP per constraint gives `P(c_k ≤ 0)`; with
//!   failed points, the [`super::failure::FailureModel`] gives `P(not FAIL)`.
//!   LogEI is then taken over the best *feasible* target and `Σ ln P` is added
//!   (EI and PI are multiplied by `P`); with no feasible observation, `Σ ln P`
//!   alone is maximised. UCB takes no constraints (an error) and ignores the
//!   failure model. Failed points are never proposed again (as observed ones).
//! - **Validation**: `n = 0`, points outside the space (the error names the
//!   list, the index and the parameter), a target that is NaN or infinite (the
//!   error names its index), mismatched lengths, invalid settings and a
//!   warm start of the wrong length are errors.
//!
//! `acquisition_values` are in the units of the warped, standardised targets.
//!
//! Defaults ([`ProposeRequest::new`], tuned with `examples/bo_quality.rs`):
//! LogEI with `xi = 0`, Matérn 5/2, [`DEFAULT_CANDIDATES`] Sobol candidates,
//! [`DEFAULT_RESTARTS`] of them polished, [`DEFAULT_FIT_RESTARTS`] random
//! restarts of the hyper-parameter fit.
//!
//! **Reproducibility**: the answer depends only on the request, not on the
//! number of threads: work runs in parallel only across independent pieces
//! (fit starts, candidate blocks, polished starts), each computed sequentially
//! and collected in order, and the best is chosen with ties to the first.

use std::collections::HashSet;

use super::failure::FailureModel;
use super::feasibility::{ConstraintGp, Feasibility};
use super::functions::Acquisition;
use super::maximize::{maximize, set_fixed, Problem, Ranked, Surrogate};
use super::BoError;
use crate::gp::{self, GpParams, KernelKind, Optimizer};
use crate::random::sobol_point;
use crate::space::Space;
use crate::transfer::{self, BaseTask};

/// L-BFGS iteration cap of a cold hyper-parameter fit.
pub const COLD_MAX_ITER: usize = 100;
/// L-BFGS iteration cap of a warm-started hyper-parameter fit.
pub const WARM_MAX_ITER: usize = 20;
/// Above this many observations the hyper-parameters are fitted on a subset of
/// this size (the best fifth by target plus an even stride through the rest),
/// then the model is conditioned on every point with them: the fit's O(n³)
/// factorisations stay bounded, one O(n³) factorisation of all points remains.
pub const FIT_SUBSET: usize = 200;
/// Fits add the `fit_restarts` random starts only up to this many observations;
/// beyond, they refine the initial (or warm) values alone: each start costs a
/// full run of O(n³) factorisations, and with this much data the likelihood
/// has one dominant basin (on `examples/bo_quality.rs` the restarts matter
/// below 60 observations). Measured with `examples/bo_timing.rs` and
/// `bench/bo_speed.mjs`.
pub const RESTARTS_UP_TO: usize = 100;

/// What a sampler knows when it asks for points.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposeRequest {
    pub space: Space,
    /// Observed points in value form.
    pub points: Vec<Vec<f64>>,
    /// Their targets, to maximise.
    pub targets: Vec<f64>,
    /// Points being evaluated elsewhere (value form).
    pub pending: Vec<Vec<f64>>,
    /// Number of points to propose.
    pub n: usize,
    pub seed: u64,
    pub acquisition: Acquisition,
    pub kernel: KernelKind,
    /// Hyper-parameters of a previous fit (`Proposal::hyper`), log space.
    pub warm_start: Option<Vec<f64>>,
    /// Sobol candidates for the acquisition maximisation.
    pub n_candidates: usize,
    /// Best candidates polished by L-BFGS.
    pub n_restarts: usize,
    /// Random restarts of the hyper-parameter fit.
    pub fit_restarts: usize,
    /// Constraint values of each observation (`c ≤ 0` is feasible): empty
    /// (no constraints), or one row of the same length per point; NaN is a
    /// value the observation does not have (left out of that constraint's
    /// model, and not counted as a violation).
    pub constraints: Vec<Vec<f64>>,
    /// Points (value form) of trials that failed: the model of where trials
    /// fail ([`super::failure::FailureModel`]) learns from them and the points.
    pub failed: Vec<Vec<f64>>,
    /// Old studies to transfer from (RGPE, see [`crate::transfer`]); empty:
    /// the plain GP.
    pub transfer: Vec<BaseTask>,
    /// Parameters held at a given value (value form) in every proposed point:
    /// empty (none), or one entry per parameter, `None` for the searched
    /// ones. The model still learns along them from the observations (a
    /// fidelity dimension: observations at every budget, proposals at the
    /// largest). The LogEI/EI/PI incumbent stays the best observed target
    /// at any value of them (the best posterior mean at the fixed values did
    /// worse on the noisy learning curves of `__test__/multifidelity_gp.spec.ts`);
    /// a point whose free coordinates equal an observed, pending or failed
    /// one's is not proposed (it is that configuration again).
    pub fixed: Vec<Option<f64>>,
}

/// Largest batch `n`.
pub const MAX_BATCH: usize = 65_536;
/// Largest `n_candidates`.
pub const MAX_CANDIDATES: usize = 1 << 20;
/// Largest `n_restarts` and `fit_restarts`.
pub const MAX_RESTARTS: usize = 1024;

/// Default number of Sobol candidates.
pub const DEFAULT_CANDIDATES: usize = 1024;
/// Default number of polished candidates.
pub const DEFAULT_RESTARTS: usize = 5;
/// Default number of random restarts of the hyper-parameter fit.
pub const DEFAULT_FIT_RESTARTS: usize = 3;

impl ProposeRequest {
    /// A request for one point with the defaults (LogEI, Matérn 5/2, no pending points, seed 0).
    pub fn new(space: Space, points: Vec<Vec<f64>>, targets: Vec<f64>) -> Self {
        Self {
            space,
            points,
            targets,
            pending: Vec::new(),
            n: 1,
            seed: 0,
            acquisition: Acquisition::default(),
            kernel: KernelKind::Matern52,
            warm_start: None,
            n_candidates: DEFAULT_CANDIDATES,
            n_restarts: DEFAULT_RESTARTS,
            fit_restarts: DEFAULT_FIT_RESTARTS,
            constraints: Vec::new(),
            failed: Vec::new(),
            transfer: Vec::new(),
            fixed: Vec::new(),
        }
    }

    /// `(dimension, encoded value)` of each fixed parameter (validated requests only).
    fn pinned(&self) -> Vec<(usize, f64)> {
        self.fixed
            .iter()
            .enumerate()
            .filter_map(|(k, f)| f.map(|v| (k, self.space.params()[k].domain.encode(v))))
            .collect()
    }

    /// `v` (value form) with the fixed parameters set.
    fn pin(&self, mut v: Vec<f64>) -> Vec<f64> {
        for (k, f) in self.fixed.iter().enumerate() {
            if let (Some(x), Some(slot)) = (f, v.get_mut(k)) {
                *slot = *x;
            }
        }
        v
    }
}

/// The answer of [`propose`].
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// `n` distinct valid points in value form.
    pub points: Vec<Vec<f64>>,
    /// The fitted hyper-parameters (log space), to pass back as `warm_start`;
    /// empty when no model was fitted.
    pub hyper: Vec<f64>,
    /// Acquisition value of each point (NaN for space-filling points).
    pub acquisition_values: Vec<f64>,
    /// With `transfer`: the RGPE weight of each old study, then the new
    /// study's own model's (summing to 1); empty without.
    pub transfer_weights: Vec<f64>,
}

/// Key of a point for "same point" tests: encoded coordinates to 1e-9.
fn key(u: &[f64]) -> Vec<i64> {
    u.iter().map(|v| (v * 1e9).round() as i64).collect()
}

fn validate(req: &ProposeRequest) -> Result<(), BoError> {
    if req.n == 0 {
        return Err(BoError::ZeroBatch);
    }
    if req.points.len() != req.targets.len() {
        return Err(BoError::LengthMismatch {
            points: req.points.len(),
            targets: req.targets.len(),
        });
    }
    if !req.constraints.is_empty() {
        if req.constraints.len() != req.points.len() {
            return Err(BoError::ConstraintRows {
                rows: req.constraints.len(),
                points: req.points.len(),
            });
        }
        let k = req.constraints[0].len();
        for (index, row) in req.constraints.iter().enumerate() {
            if row.len() != k || k == 0 {
                return Err(BoError::ConstraintRowLength {
                    index,
                    expected: k,
                    got: row.len(),
                });
            }
            if let Some(j) = row.iter().position(|c| c.is_infinite()) {
                return Err(BoError::NonFiniteConstraint {
                    index,
                    constraint: j,
                    value: row[j],
                });
            }
        }
        if matches!(req.acquisition, Acquisition::Ucb { .. }) {
            return Err(BoError::ConstrainedUcb);
        }
    }
    for (which, list) in [
        ("points", &req.points),
        ("pending", &req.pending),
        ("failed", &req.failed),
    ] {
        for (index, p) in list.iter().enumerate() {
            req.space
                .check_point(p)
                .map_err(|source| BoError::InvalidPoint {
                    which,
                    index,
                    source,
                })?;
        }
    }
    if let Some(index) = req.targets.iter().position(|t| !t.is_finite()) {
        return Err(BoError::NonFiniteTarget {
            index,
            value: req.targets[index],
        });
    }
    req.acquisition.check()?;
    transfer::validate(&req.space, &req.transfer)?;
    if !req.fixed.is_empty() {
        if req.fixed.len() != req.space.len() {
            return Err(BoError::FixedLength {
                expected: req.space.len(),
                got: req.fixed.len(),
            });
        }
        for (index, (f, p)) in req.fixed.iter().zip(req.space.params()).enumerate() {
            if let Some(value) = *f {
                if !p.domain.contains(value) {
                    return Err(BoError::InvalidFixed {
                        index,
                        name: p.name.clone(),
                        value,
                    });
                }
            }
        }
    }
    if req.n_candidates == 0 {
        return Err(BoError::InvalidSetting {
            name: "n_candidates",
            value: 0.0,
            reason: "use at least one candidate",
        });
    }
    let limits = [
        ("n", req.n, MAX_BATCH),
        ("n_candidates", req.n_candidates, MAX_CANDIDATES),
        ("n_restarts", req.n_restarts, MAX_RESTARTS),
        ("fit_restarts", req.fit_restarts, MAX_RESTARTS),
    ];
    for (name, value, max) in limits {
        if value > max {
            return Err(BoError::TooLarge { name, value, max });
        }
    }
    if let Some(w) = &req.warm_start {
        let expected = req.space.len() + 2;
        if w.len() != expected {
            return Err(BoError::WarmStartLength {
                expected,
                got: w.len(),
            });
        }
        if let Some(index) = w.iter().position(|v| !v.is_finite()) {
            return Err(BoError::WarmStartNonFinite {
                index,
                value: w[index],
            });
        }
    }
    Ok(())
}

/// The observations a large data set fits its hyper-parameters on: the `m / 5`
/// best targets and an even stride through the others, in their original order.
fn fit_subset(y: &[f64], m: usize) -> Vec<usize> {
    let n = y.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| y[b].total_cmp(&y[a]).then(a.cmp(&b)));
    let n_best = m / 5;
    let mut take = vec![false; n];
    for &i in &order[..n_best] {
        take[i] = true;
    }
    let rest: Vec<usize> = (0..n).filter(|&i| !take[i]).collect();
    let n_rest = m - n_best;
    for k in 0..n_rest {
        take[rest[k * rest.len() / n_rest]] = true;
    }
    (0..n).filter(|&i| take[i]).collect()
}

/// Sobol points (value form, fixed parameters set) not in `taken`, in sequence order; at most `want`.
fn space_filling(
    req: &ProposeRequest,
    seed: u64,
    want: usize,
    taken: &mut HashSet<Vec<i64>>,
) -> Vec<Vec<f64>> {
    let space = &req.space;
    let d = space.len();
    let mut out = Vec::new();
    let limit = 64 * (want + taken.len()) as u64 + 4096;
    let mut i = 0u64;
    while out.len() < want && i < limit {
        let v = req.pin(space.from_unit(&sobol_point(i, d, seed)));
        i += 1;
        if taken.insert(key(&space.encode(&v))) {
            out.push(v);
        }
    }
    out
}

/// The GP settings `propose` uses (documented in the module docs).
pub fn bo_gp_params(
    space: &Space,
    kernel: KernelKind,
    seed: u64,
    fit_restarts: usize,
    warm: Option<&[f64]>,
    n: usize,
) -> GpParams {
    let d = space.len();
    let restarts = if n > RESTARTS_UP_TO { 0 } else { fit_restarts };
    let (b_ls, b_var, b_noise) = ((1e-2, 1e2), (1e-2, 1e2), (1e-6, 1.0));
    // A stored warm start is moved into the bounds (it may come from other settings).
    let inside = |t: f64, (lo, hi): (f64, f64)| t.exp().clamp(lo, hi);
    // A warm start of the wrong length (other space or settings) is ignored here; `propose` rejects it.
    let (length_scale, variance, noise) = match warm.filter(|w| w.len() == d + 2) {
        Some(w) => (
            w[..d].iter().map(|&t| inside(t, b_ls)).collect(),
            inside(w[d], b_var),
            inside(w[d + 1], b_noise),
        ),
        None => (vec![1.0; d], 1.0, 1e-3),
    };
    GpParams {
        kernel,
        length_scale,
        variance,
        alpha: 1e-8,
        noise: Some(noise),
        normalize_y: false,
        optimizer: Some(Optimizer {
            restarts,
            bounds_variance: b_var,
            bounds_length_scale: b_ls,
            bounds_noise: b_noise,
            seed,
            priors: true,
            max_iter: if warm.is_some() {
                WARM_MAX_ITER
            } else {
                COLD_MAX_ITER
            },
            ftol: if warm.is_some() { 1e-6 } else { 1e-7 },
            initial_step: if warm.is_some() { 0.05 } else { 1.0 },
        }),
        space: Some(space.clone()),
    }
}

/// The objective's GP on encoded points and standardised targets, as
/// `propose` fits it (see the module docs): hyper-parameters on all points,
/// or on a subset of [`FIT_SUBSET`] of them when there are more, then the
/// model on every point with them.
pub(crate) fn fit_objective_gp(
    space: &Space,
    kernel: KernelKind,
    seed: u64,
    fit_restarts: usize,
    warm: Option<&[f64]>,
    enc_points: &[Vec<f64>],
    y: &[f64],
) -> Result<gp::FittedGp, BoError> {
    let d = space.len();
    let n_obs = y.len();
    let x: Vec<f64> = enc_points.iter().flatten().copied().collect();
    let subset = (n_obs > FIT_SUBSET).then(|| fit_subset(y, FIT_SUBSET));
    Ok(match &subset {
        None => {
            let params = bo_gp_params(space, kernel, seed, fit_restarts, warm, n_obs);
            gp::fit(&params, &x, n_obs, d, y)?
        }
        Some(idx) => {
            let xs: Vec<f64> = idx
                .iter()
                .flat_map(|&i| enc_points[i].iter().copied())
                .collect();
            let ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
            let params = bo_gp_params(space, kernel, seed, fit_restarts, warm, idx.len());
            let theta = gp::fit(&params, &xs, idx.len(), d, &ys)?.kernel_params();
            // Then the model on every point with those hyper-parameters: one factorisation.
            let fixed = GpParams {
                optimizer: None,
                ..bo_gp_params(space, kernel, seed, 0, Some(&theta), n_obs)
            };
            gp::fit(&fixed, &x, n_obs, d, y)?
        }
    })
}

/// The constraint GPs (one per constraint, on its standardised values) and the failure model.
fn feasibility(req: &ProposeRequest, enc_points: &[Vec<f64>]) -> Result<Feasibility, BoError> {
    let space = &req.space;
    let d = space.len();
    let mut out = Feasibility::default();
    let k = req.constraints.first().map_or(0, Vec::len);
    for j in 0..k {
        let rows: Vec<usize> = (0..req.points.len())
            .filter(|&i| !req.constraints[i][j].is_nan())
            .collect();
        let c: Vec<f64> = rows.iter().map(|&i| req.constraints[i][j]).collect();
        if c.len() < 2 {
            continue;
        }
        let mean = c.iter().sum::<f64>() / c.len() as f64;
        let var = c.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / c.len() as f64;
        if var <= 0.0 || !var.is_finite() {
            continue;
        }
        let sd = var.sqrt();
        let ys: Vec<f64> = c.iter().map(|v| (v - mean) / sd).collect();
        let xs: Vec<f64> = rows
            .iter()
            .flat_map(|&i| enc_points[i].iter().copied())
            .collect();
        let params = bo_gp_params(
            space,
            req.kernel,
            req.seed.wrapping_add(1 + j as u64),
            req.fit_restarts,
            None,
            rows.len(),
        );
        let gp = gp::fit(&params, &xs, rows.len(), d, &ys)?;
        out.constraints.push(ConstraintGp {
            gp,
            zero: -mean / sd,
        });
    }
    let failed: Vec<Vec<f64>> = req.failed.iter().map(|p| space.encode(p)).collect();
    out.failure = FailureModel::fit(space, enc_points, &failed);
    Ok(out)
}

/// One Bayesian-optimisation step: `req.n` new points to evaluate (see the module docs).
pub fn propose(req: &ProposeRequest) -> Result<Proposal, BoError> {
    validate(req)?;
    let space = &req.space;
    let d = space.len();
    let enc_points: Vec<Vec<f64>> = req.points.iter().map(|p| space.encode(p)).collect();
    let enc_pending: Vec<Vec<f64>> = req.pending.iter().map(|p| space.encode(p)).collect();
    // Points to avoid are compared with the fixed coordinates set: with a
    // fidelity dimension, a configuration observed at a low budget is not
    // proposed again at the top one (the same configuration would run again).
    let pinned = req.pinned();
    let pin_key = |u: &[f64]| {
        let mut u = u.to_vec();
        set_fixed(&mut u, &pinned);
        key(&u)
    };
    let mut avoid: HashSet<Vec<i64>> = enc_points.iter().map(|u| pin_key(u)).collect();
    avoid.extend(enc_pending.iter().map(|u| pin_key(u)));
    avoid.extend(req.failed.iter().map(|p| pin_key(&space.encode(p))));

    let all_equal = req.targets.windows(2).all(|w| w[0] == w[1]);
    let bases = if req.transfer.is_empty() {
        Vec::new()
    } else {
        transfer::fit_bases(space, &req.transfer, req.kernel, req.seed, req.fit_restarts)?
    };
    if (req.points.len() < 2 || all_equal) && bases.iter().any(Option::is_some) {
        return propose_from_bases(req, &bases, &enc_points, avoid);
    }
    if req.points.len() < 2 || all_equal {
        let mut taken = avoid.clone();
        let mut pts = space_filling(req, req.seed, req.n, &mut taken);
        // Space exhausted: allow repeats of observed (then of any) points.
        let mut i = 0u64;
        while pts.len() < req.n {
            pts.push(req.pin(space.from_unit(&sobol_point(i, d, req.seed))));
            i += 1;
        }
        let mut transfer_weights = Vec::new();
        if !req.transfer.is_empty() {
            // No base model either: every weight on the (absent) target model.
            transfer_weights = vec![0.0; req.transfer.len() + 1];
            transfer_weights[req.transfer.len()] = 1.0;
        }
        return Ok(Proposal {
            acquisition_values: vec![f64::NAN; pts.len()],
            points: pts,
            hyper: req.warm_start.clone().unwrap_or_default(),
            transfer_weights,
        });
    }

    // Standardise the targets (and warp them, see `warp.rs`).
    let n_obs = req.targets.len();
    let y: Vec<f64> = super::warp::warp_targets(&req.targets);
    let fitted = fit_objective_gp(
        space,
        req.kernel,
        req.seed,
        req.fit_restarts,
        req.warm_start.as_deref(),
        &enc_points,
        &y,
    )?;
    let weights = if bases.is_empty() {
        Vec::new()
    } else {
        let x: Vec<f64> = enc_points.iter().flat_map(|u| space.project(u)).collect();
        transfer::ranking_weights(
            &bases,
            Some(&fitted),
            &x,
            d,
            &y,
            transfer::WEIGHT_SAMPLES,
            req.seed,
        )
    };
    let hyper = fitted.kernel_params();
    // Every old study at weight 0 before the plain GP's startup would have
    // ended: space-fill as it does (see `crate::transfer`).
    if !bases.is_empty()
        && n_obs < transfer::SPACE_FILLING_BELOW
        && weights.iter().take(bases.len()).all(|&w| w == 0.0)
    {
        let mut taken = avoid.clone();
        let pts = space_filling(req, req.seed, req.n, &mut taken);
        if pts.len() == req.n {
            return Ok(Proposal {
                acquisition_values: vec![f64::NAN; pts.len()],
                points: pts,
                hyper,
                transfer_weights: weights,
            });
        }
    }
    // An observation is feasible when none of its given constraint values is > 0.
    let feasible: Vec<bool> = (0..n_obs)
        .map(|i| {
            req.constraints
                .get(i)
                .is_none_or(|row| row.iter().all(|c| c.is_nan() || *c <= 0.0))
        })
        .collect();
    let best = (0..n_obs)
        .filter(|&i| feasible[i])
        .map(|i| y[i])
        .fold(f64::NEG_INFINITY, f64::max);
    let lie = y.iter().copied().fold(f64::INFINITY, f64::min);
    let feas = feasibility(req, &enc_points)?;

    // Best observed points (feasible ones first) as centres of local candidates.
    let mut order: Vec<usize> = (0..n_obs).collect();
    order.sort_by(|&a, &b| {
        feasible[b]
            .cmp(&feasible[a])
            .then(y[b].total_cmp(&y[a]))
            .then(a.cmp(&b))
    });
    let centres: Vec<Vec<f64>> = order
        .iter()
        .take(5)
        .map(|&i| space.project(&enc_points[i]))
        .collect();

    // Failed points where the failure model says trials fail more often than
    // not are observations of the worst target (as pending points are): the
    // objective's model stops expecting improvement there. A failure among
    // successes (flaky) is left out.
    let mut believed: Vec<f64> = feas
        .failure
        .as_ref()
        .map(|f| {
            req.failed
                .iter()
                .map(|p| space.encode(p))
                .filter(|u| f.p_ok(u) < 0.5)
                .flatten()
                .collect()
        })
        .unwrap_or_default();
    believed.extend(enc_pending.iter().flatten().copied());
    let mut gp = if believed.is_empty() {
        fitted
    } else {
        let m = believed.len() / d;
        fitted.condition_on(&believed, &vec![lie; m])?
    };
    let mut points = Vec::with_capacity(req.n);
    let mut values = Vec::with_capacity(req.n);
    for b in 0..req.n {
        let ensemble = transfer::Ensemble {
            bases: &bases,
            target: Some(&gp),
            weights: &weights,
            d,
        };
        let surrogate: &dyn Surrogate = if bases.is_empty() { &gp } else { &ensemble };
        let problem = Problem {
            gp: surrogate,
            space,
            acq: req.acquisition,
            best,
            feas: &feas,
            objective: best.is_finite(),
            fixed: &pinned,
        };
        let seed_b = req
            .seed
            .wrapping_add(b as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let ranked = maximize(&problem, req.n_candidates, req.n_restarts, seed_b, &centres);
        let pick = |ok: &dyn Fn(&Ranked) -> bool| ranked.iter().find(|r| ok(r)).cloned();
        let chosen = match pick(&|r: &Ranked| !avoid.contains(&key(&r.u))) {
            Some(r) => Some((space.decode(&r.u), r.value)),
            None => {
                let mut taken = avoid.clone();
                let sf = space_filling(req, req.seed ^ 0x5bd1_e995, 1, &mut taken);
                sf.into_iter().next().map(|v| (v, f64::NAN))
            }
        };
        let (v, value) = match chosen {
            Some(c) => c,
            None => {
                // Every valid point is observed or pending: repeat the best-ranked point that
                // is neither pending nor already in the batch if there is one, else the best.
                let mut busy: HashSet<Vec<i64>> = enc_pending.iter().map(|u| key(u)).collect();
                busy.extend(points.iter().map(|p: &Vec<f64>| key(&space.encode(p))));
                match ranked
                    .iter()
                    .find(|r| !busy.contains(&key(&r.u)))
                    .or(ranked.first())
                {
                    Some(r) => (space.decode(&r.u), r.value),
                    None => (req.pin(space.from_unit(&vec![0.5; d])), f64::NAN),
                }
            }
        };
        let u = space.encode(&v);
        avoid.insert(key(&u));
        points.push(v);
        values.push(value);
        if b + 1 < req.n {
            gp = gp.condition_on(&u, &[lie])?;
        }
    }
    Ok(Proposal {
        points,
        hyper,
        acquisition_values: values,
        transfer_weights: weights,
    })
}

/// The proposal with fewer than 2 new observations (or all equal) and at
/// least one base model: the maximum of the base models' ensemble mean (UCB
/// with κ = 0), avoiding observed, pending, failed and already chosen points.
fn propose_from_bases(
    req: &ProposeRequest,
    bases: &[Option<transfer::BaseModel>],
    enc_points: &[Vec<f64>],
    mut avoid: HashSet<Vec<i64>>,
) -> Result<Proposal, BoError> {
    let space = &req.space;
    let d = space.len();
    let x: Vec<f64> = enc_points.iter().flat_map(|u| space.project(u)).collect();
    let weights = transfer::ranking_weights(
        bases,
        None,
        &x,
        d,
        &req.targets,
        transfer::WEIGHT_SAMPLES,
        req.seed,
    );
    let ensemble = transfer::Ensemble {
        bases,
        target: None,
        weights: &weights,
        d,
    };
    let feas = feasibility(req, enc_points)?;
    let pinned = req.pinned();
    let problem = Problem {
        gp: &ensemble,
        space,
        acq: Acquisition::Ucb { kappa: 0.0 },
        best: f64::NAN,
        feas: &feas,
        objective: true,
        fixed: &pinned,
    };
    let mut points = Vec::with_capacity(req.n);
    let mut values = Vec::with_capacity(req.n);
    for b in 0..req.n {
        let seed_b = req
            .seed
            .wrapping_add(b as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let ranked = maximize(&problem, req.n_candidates, req.n_restarts, seed_b, &[]);
        let (v, value) = match ranked.iter().find(|r| !avoid.contains(&key(&r.u))) {
            Some(r) => (space.decode(&r.u), r.value),
            None => {
                let mut taken = avoid.clone();
                match space_filling(req, req.seed ^ 0x5bd1_e995, 1, &mut taken).pop() {
                    Some(v) => (v, f64::NAN),
                    None => (req.pin(space.from_unit(&vec![0.5; d])), f64::NAN),
                }
            }
        };
        avoid.insert(key(&space.encode(&v)));
        points.push(v);
        values.push(value);
    }
    Ok(Proposal {
        points,
        hyper: req.warm_start.clone().unwrap_or_default(),
        acquisition_values: values,
        transfer_weights: weights,
    })
}
