//! The Bayesian-optimisation step: valid, distinct points that avoid pending
//! ones, determinism for a seed, the space-filling fallback, exhausted spaces,
//! duplicate-heavy data, progress on a simple problem, and every error with
//! its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::acquisition::{propose, Acquisition, BoError, ProposeRequest};
use tunekit_core::gp::{fit, GpError, GpParams, KernelKind, Optimizer};
use tunekit_core::space::{Domain, Param, Space};

fn param(name: &str, domain: Domain) -> Param {
    Param {
        name: name.into(),
        domain,
    }
}

fn mixed_space() -> Space {
    Space::new(vec![
        param(
            "lr",
            Domain::Float {
                low: 1e-4,
                high: 1e-1,
                log: true,
                step: None,
            },
        ),
        param(
            "x",
            Domain::Float {
                low: -2.0,
                high: 2.0,
                log: false,
                step: None,
            },
        ),
        param(
            "layers",
            Domain::Int {
                low: 1,
                high: 8,
                log: false,
                step: 1,
            },
        ),
        param(
            "drop",
            Domain::Float {
                low: 0.0,
                high: 0.5,
                log: false,
                step: Some(0.1),
            },
        ),
        param("opt", Domain::Categorical { n_choices: 3 }),
    ])
    .unwrap()
}

fn objective(v: &[f64]) -> f64 {
    let lr = v[0].log10();
    -(lr + 2.5).powi(2)
        - 0.3 * (v[1] - 0.7).powi(2)
        - 0.05 * (v[2] - 5.0).powi(2)
        - (v[3] - 0.2).powi(2)
        + if v[4] == 2.0 { 0.5 } else { 0.0 }
}

fn observed(space: &Space, n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut r = ProposeRequest::new(space.clone(), vec![], vec![]);
    r.n = n;
    r.seed = 99;
    let pts = propose(&r).unwrap().points;
    let ys = pts.iter().map(|p| objective(p)).collect();
    (pts, ys)
}

fn encoded_distance(space: &Space, a: &[f64], b: &[f64]) -> f64 {
    space
        .encode(a)
        .iter()
        .zip(space.encode(b))
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn batch_points_are_valid_distinct_and_avoid_pending() {
    let space = mixed_space();
    let (points, targets) = observed(&space, 15);
    let mut req = ProposeRequest::new(space.clone(), points.clone(), targets);
    req.pending = vec![
        vec![3e-3, 0.7, 5.0, 0.2, 2.0],
        vec![1e-2, 0.0, 4.0, 0.3, 2.0],
        vec![1e-3, 1.0, 6.0, 0.1, 1.0],
    ];
    req.n = 4;
    req.seed = 7;
    let prop = propose(&req).unwrap();
    assert_eq!(prop.points.len(), 4);
    assert_eq!(prop.acquisition_values.len(), 4);
    assert!(prop.acquisition_values.iter().all(|v| v.is_finite()));
    assert_eq!(prop.hyper.len(), space.len() + 2);
    for (i, p) in prop.points.iter().enumerate() {
        space.check_point(p).unwrap();
        for q in req.pending.iter().chain(&points) {
            assert!(
                encoded_distance(&space, p, q) > 1e-9,
                "point {i} {p:?} repeats {q:?}"
            );
        }
        for q in &prop.points[..i] {
            assert!(
                encoded_distance(&space, p, q) > 1e-9,
                "point {i} repeats another of the batch"
            );
        }
    }
}

#[test]
fn a_pending_point_pushes_the_next_proposal_away() {
    let space = Space::new(vec![param(
        "x",
        Domain::Float {
            low: 0.0,
            high: 1.0,
            log: false,
            step: None,
        },
    )])
    .unwrap();
    let points: Vec<Vec<f64>> = [0.05, 0.2, 0.45, 0.7, 0.95]
        .iter()
        .map(|&x| vec![x])
        .collect();
    let targets: Vec<f64> = points.iter().map(|p| -(p[0] - 0.33f64).powi(2)).collect();
    let mut req = ProposeRequest::new(space.clone(), points, targets);
    let first = propose(&req).unwrap().points[0].clone();
    req.pending = vec![first.clone()];
    let second = propose(&req).unwrap().points[0].clone();
    assert!(
        (second[0] - first[0]).abs() > 1e-3,
        "{first:?} then {second:?}"
    );
}

#[test]
fn proposals_are_deterministic_for_a_seed() {
    let space = mixed_space();
    let (points, targets) = observed(&space, 12);
    let mut req = ProposeRequest::new(space, points, targets);
    req.n = 3;
    req.seed = 1234;
    let a = propose(&req).unwrap();
    let b = propose(&req).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    req.warm_start = Some(a.hyper.clone());
    let c = propose(&req).unwrap();
    let d = propose(&req).unwrap();
    assert_eq!(format!("{c:?}"), format!("{d:?}"));
    // and the same on one thread as on several
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let e = one.install(|| propose(&req).unwrap());
    assert_eq!(format!("{c:?}"), format!("{e:?}"));
    req.warm_start = None;
    let f = one.install(|| propose(&req).unwrap());
    assert_eq!(format!("{a:?}"), format!("{f:?}"));
}

#[test]
fn few_or_constant_observations_fall_back_to_sobol() {
    let space = mixed_space();
    let mut req = ProposeRequest::new(space.clone(), vec![], vec![]);
    req.n = 8;
    req.seed = 5;
    let first = propose(&req).unwrap();
    assert_eq!(first.points.len(), 8);
    assert!(first.acquisition_values.iter().all(|v| v.is_nan()));
    assert!(first.hyper.is_empty());
    for p in &first.points {
        space.check_point(p).unwrap();
    }
    // One observation (the first Sobol point) and a pending one: the sequence continues past them.
    req.points = vec![first.points[0].clone()];
    req.targets = vec![1.0];
    req.pending = vec![first.points[1].clone()];
    req.n = 2;
    let next = propose(&req).unwrap();
    assert_eq!(next.points, first.points[2..4].to_vec());
    // All targets equal: still space filling.
    req.points = first.points[..3].to_vec();
    req.targets = vec![2.0; 3];
    req.pending = vec![];
    req.n = 1;
    assert_eq!(propose(&req).unwrap().points, vec![first.points[3].clone()]);
}

#[test]
fn exhausted_spaces_repeat_points_only_then() {
    let space = Space::new(vec![
        param(
            "k",
            Domain::Int {
                low: 0,
                high: 2,
                log: false,
                step: 1,
            },
        ),
        param("c", Domain::Categorical { n_choices: 2 }),
    ])
    .unwrap();
    let all: Vec<Vec<f64>> = (0..3)
        .flat_map(|k| (0..2).map(move |c| vec![k as f64, c as f64]))
        .collect();
    let ys: Vec<f64> = all.iter().map(|p| p[0] - p[1]).collect();
    // Five of six observed: the sixth must come back.
    let missing = all[3].clone();
    let (pts, t): (Vec<Vec<f64>>, Vec<f64>) = all
        .iter()
        .cloned()
        .zip(ys.iter().copied())
        .filter(|(p, _)| *p != missing)
        .unzip();
    let req = ProposeRequest::new(space.clone(), pts, t);
    assert_eq!(propose(&req).unwrap().points, vec![missing]);
    // All observed: still two valid points, distinct from each other.
    let mut req = ProposeRequest::new(space.clone(), all, ys);
    req.n = 2;
    let p = propose(&req).unwrap().points;
    assert_eq!(p.len(), 2);
    assert_ne!(p[0], p[1]);
    for q in &p {
        space.check_point(q).unwrap();
    }
}

#[test]
fn duplicate_heavy_data_fit_and_propose() {
    // 40 observations of only 4 distinct points, with tiny alpha: the jitter must rescue the factorisation.
    let base = [[0.1, 0.2], [0.5, 0.5], [0.9, 0.1], [0.3, 0.8]];
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..40 {
        x.extend_from_slice(&base[i % 4]);
        y.push((i % 4) as f64);
    }
    let params = GpParams {
        alpha: 0.0,
        length_scale: vec![0.3, 0.3],
        normalize_y: true,
        ..GpParams::default()
    };
    let gp = fit(&params, &x, 40, 2, &y).unwrap();
    assert!(gp.jitter() > 0.0);
    let (mean, std) = gp.predict(&[0.5, 0.5, 0.4, 0.4], 2).unwrap();
    assert!((mean[0] - 1.0).abs() < 1e-3, "{mean:?}");
    assert!(mean.iter().chain(&std).all(|v| v.is_finite()));
    // with fitted hyper-parameters too
    let fitted = GpParams {
        optimizer: Some(Optimizer {
            restarts: 2,
            ..Optimizer::default()
        }),
        ..params
    };
    assert!(fit(&fitted, &x, 40, 2, &y)
        .unwrap()
        .log_marginal_likelihood()
        .is_finite());

    let space = Space::new(vec![
        param(
            "a",
            Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        ),
        param(
            "b",
            Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        ),
    ])
    .unwrap();
    let points: Vec<Vec<f64>> = x.chunks(2).map(|c| c.to_vec()).collect();
    let mut req = ProposeRequest::new(space.clone(), points, y);
    req.n = 2;
    let p = propose(&req).unwrap();
    assert_eq!(p.points.len(), 2);
    for q in &p.points {
        space.check_point(q).unwrap();
    }
}

#[test]
fn the_loop_finds_the_maximum_of_a_simple_function() {
    // 1-D: maximum of −(x − 0.3)² on [−1, 2] within 12 evaluations (4 Sobol + 8 proposals).
    let space = Space::new(vec![param(
        "x",
        Domain::Float {
            low: -1.0,
            high: 2.0,
            log: false,
            step: None,
        },
    )])
    .unwrap();
    let f = |x: f64| -(x - 0.3) * (x - 0.3);
    let mut req = ProposeRequest::new(space.clone(), vec![], vec![]);
    req.n = 4;
    let mut points = propose(&req).unwrap().points;
    let mut targets: Vec<f64> = points.iter().map(|p| f(p[0])).collect();
    let mut hyper = None;
    for _ in 0..8 {
        let mut r = ProposeRequest::new(space.clone(), points.clone(), targets.clone());
        r.warm_start = hyper;
        let p = propose(&r).unwrap();
        hyper = Some(p.hyper);
        targets.push(f(p.points[0][0]));
        points.push(p.points[0].clone());
    }
    let best = targets.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(best > -1e-4, "best {best} after 12 evaluations: {points:?}");
}

#[test]
fn every_acquisition_and_kernel_runs() {
    let space = mixed_space();
    let (points, targets) = observed(&space, 10);
    for acquisition in [
        Acquisition::LogEi { xi: 0.0 },
        Acquisition::Ei { xi: 0.01 },
        Acquisition::Pi { xi: 0.01 },
        Acquisition::Ucb { kappa: 2.0 },
    ] {
        for kernel in [KernelKind::Matern52, KernelKind::Matern32, KernelKind::Rbf] {
            let mut req = ProposeRequest::new(space.clone(), points.clone(), targets.clone());
            req.acquisition = acquisition;
            req.kernel = kernel;
            req.n = 2;
            let p = propose(&req).unwrap();
            for q in &p.points {
                space.check_point(q).unwrap();
            }
            assert_ne!(p.points[0], p.points[1]);
        }
    }
}

#[test]
fn propose_errors_name_the_bad_value() {
    let space = mixed_space();
    let (points, targets) = observed(&space, 4);
    let base = ProposeRequest::new(space.clone(), points.clone(), targets.clone());
    let err = |f: &dyn Fn(&mut ProposeRequest)| {
        let mut r = base.clone();
        f(&mut r);
        propose(&r).unwrap_err()
    };
    assert_eq!(err(&|r| r.n = 0), BoError::ZeroBatch);
    assert_eq!(
        err(&|r| r.n = 0).to_string(),
        "n = 0: ask for at least one point"
    );
    assert_eq!(
        err(&|r| {
            r.targets.pop();
        })
        .to_string(),
        "4 points but 3 targets: give one target per point"
    );
    assert_eq!(
        err(&|r| r.targets[2] = f64::NAN).to_string(),
        "targets[2] = NaN is not a finite number"
    );
    assert_eq!(
        err(&|r| r.targets[1] = f64::INFINITY).to_string(),
        "targets[1] = inf is not a finite number"
    );
    assert_eq!(
        err(&|r| r.points[3][2] = 2.5).to_string(),
        "points[3]: parameter \"layers\": 2.5 is outside its domain (integer in [1, 8])"
    );
    assert_eq!(
        err(&|r| r.pending = vec![vec![1e-2, 3.0, 2.0, 0.1, 0.0]]).to_string(),
        "pending[0]: parameter \"x\": 3 is outside its domain (float in [-2, 2])"
    );
    assert_eq!(
        err(&|r| r.pending = vec![vec![1e-2]]).to_string(),
        "pending[0]: a point has 1 values but the space has 5 parameters"
    );
    assert_eq!(
        err(&|r| r.n_candidates = 0).to_string(),
        "n_candidates = 0 is invalid: use at least one candidate"
    );
    assert_eq!(
        err(&|r| r.n = usize::MAX),
        BoError::TooLarge {
            name: "n",
            value: usize::MAX,
            max: 65_536
        }
    );
    assert_eq!(
        err(&|r| r.n_candidates = 1 << 21).to_string(),
        "n_candidates = 2097152 is too large: at most 1048576"
    );
    assert_eq!(
        err(&|r| r.n_restarts = 5000).to_string(),
        "n_restarts = 5000 is too large: at most 1024"
    );
    assert_eq!(
        err(&|r| r.fit_restarts = 5000).to_string(),
        "fit_restarts = 5000 is too large: at most 1024"
    );
    assert_eq!(
        err(&|r| r.acquisition = Acquisition::Ucb {
            kappa: f64::INFINITY
        })
        .to_string(),
        "kappa = inf is invalid: must be a finite number ≥ 0"
    );
    assert_eq!(
        err(&|r| r.warm_start = Some(vec![0.0; 3])).to_string(),
        "warm_start has 3 values but this model has 7 hyper-parameters (log length scales, log variance, log noise)"
    );
    assert_eq!(
        err(&|r| r.warm_start = Some(vec![0.0, 0.0, f64::NAN, 0.0, 0.0, 0.0, 0.0])).to_string(),
        "warm_start[2] = NaN is not a finite number"
    );
    // An extreme (but finite) warm start is moved into the bounds, not an error.
    let mut r = base.clone();
    r.warm_start = Some(vec![0.0, 0.0, 0.0, 0.0, 0.0, 800.0, -900.0]);
    let p = propose(&r).unwrap();
    assert!(p.hyper.iter().all(|t| t.is_finite()) && p.hyper[5] <= 1e2f64.ln() + 1e-12);
    // GP errors come through with their message.
    let gp_err = BoError::from(GpError::NotPositiveDefinite { jitter: 1e-3 });
    assert_eq!(gp_err.to_string(), "Gaussian-process fit failed: the kernel matrix is not positive definite even with jitter 1e-3 on its diagonal");
}

#[test]
fn gp_errors_name_the_bad_value() {
    let x = [0.1, 0.2, 0.3, 0.4];
    let y = [1.0, 2.0];
    let ok = GpParams::default();
    let e =
        |p: &GpParams, x: &[f64], n: usize, d: usize, y: &[f64]| fit(p, x, n, d, y).unwrap_err();
    assert_eq!(e(&ok, &[], 0, 2, &[]), GpError::Empty { n: 0, d: 2 });
    assert_eq!(
        e(&ok, &[], 0, 2, &[]).to_string(),
        "no training data: n = 0 points in d = 2 dimensions (need n ≥ 1, d ≥ 1)"
    );
    assert_eq!(
        e(&ok, &x[..3], 2, 2, &y).to_string(),
        "x has 3 values but 4 were expected"
    );
    assert_eq!(
        e(&ok, &x, 2, 2, &y[..1]).to_string(),
        "y has 1 values but 2 were expected"
    );
    assert_eq!(
        e(&ok, &[0.1, f64::NAN, 0.3, 0.4], 2, 2, &y).to_string(),
        "x[1] = NaN is not a finite number"
    );
    assert_eq!(
        e(&ok, &x, 2, 2, &[1.0, f64::NEG_INFINITY]).to_string(),
        "y[1] = -inf is not a finite number"
    );
    let with = |f: &dyn Fn(&mut GpParams)| {
        let mut p = GpParams::default();
        f(&mut p);
        p
    };
    assert_eq!(
        e(&with(&|p| p.length_scale = vec![1.0; 3]), &x, 2, 2, &y).to_string(),
        "length_scale has 3 entries: give 1 (shared) or one per dimension (2)"
    );
    assert_eq!(
        with(&|p| p.length_scale = vec![1.0, -2.0])
            .check()
            .unwrap_err()
            .to_string(),
        "length_scale[1] = -2 is invalid: it must be a finite number > 0"
    );
    assert_eq!(
        with(&|p| p.variance = 0.0).check().unwrap_err().to_string(),
        "variance = 0 is invalid: it must be a finite number > 0"
    );
    assert_eq!(
        with(&|p| p.noise = Some(f64::NAN))
            .check()
            .unwrap_err()
            .to_string(),
        "noise = NaN is invalid: it must be a finite number > 0"
    );
    assert_eq!(
        with(&|p| p.alpha = -1e-3).check().unwrap_err(),
        GpError::InvalidAlpha(-1e-3)
    );
    assert_eq!(
        with(&|p| p.alpha = -1e-3).check().unwrap_err().to_string(),
        "alpha = -0.001 is invalid: it must be a finite number ≥ 0"
    );
    let opt = |f: &dyn Fn(&mut Optimizer)| {
        let mut o = Optimizer::default();
        f(&mut o);
        with(&|p| p.optimizer = Some(o.clone()))
            .check()
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        opt(&|o| o.bounds_length_scale = (1.0, 0.5)),
        "bounds for length_scale are (1, 0.5): they must be finite, > 0 and lo ≤ hi"
    );
    assert_eq!(
        opt(&|o| o.bounds_variance = (0.0, 1.0)),
        "bounds for variance are (0, 1): they must be finite, > 0 and lo ≤ hi"
    );
    assert_eq!(
        opt(&|o| o.bounds_noise = (1e-3, f64::INFINITY)),
        "bounds for noise are (0.001, inf): they must be finite, > 0 and lo ≤ hi"
    );
    assert_eq!(
        opt(&|o| o.max_iter = 0),
        "optimizer.max_iter = 0: allow at least one iteration"
    );
    assert_eq!(opt(&|o| o.ftol = -1.0), "optimizer.ftol = -1 is invalid: it must be a finite number (≥ 0 for ftol, > 0 for initial_step)");
    assert_eq!(opt(&|o| o.initial_step = 0.0), "optimizer.initial_step = 0 is invalid: it must be a finite number (≥ 0 for ftol, > 0 for initial_step)");
    let space = Space::new(vec![param("a", Domain::Categorical { n_choices: 2 })]).unwrap();
    assert_eq!(
        e(&with(&|p| p.space = Some(space.clone())), &x, 2, 2, &y).to_string(),
        "the space has 1 parameters but the data have d = 2 dimensions"
    );

    let gp = fit(&ok, &x, 2, 2, &y).unwrap();
    assert_eq!(
        gp.predict(&[0.1, 0.2, 0.3], 2).unwrap_err().to_string(),
        "xs has 3 values but 4 were expected"
    );
    assert_eq!(
        gp.predict(&[0.1, f64::INFINITY], 1)
            .unwrap_err()
            .to_string(),
        "xs[1] = inf is not a finite number"
    );
    assert_eq!(
        gp.predict_with_gradient(&[0.1]).unwrap_err().to_string(),
        "xs has 1 values but 2 were expected"
    );
    assert_eq!(
        gp.log_marginal_likelihood_and_gradient(&[0.0]).unwrap_err().to_string(),
        "hyper-parameter vector has 1 entries but this model has 2 (log length scales, log variance, log noise if fitted)"
    );
    assert_eq!(
        gp.log_marginal_likelihood_and_gradient(&[f64::NAN, 0.0])
            .unwrap_err()
            .to_string(),
        "theta[0] = NaN is not a finite number"
    );
    // exp(800) overflows: the kernel matrix cannot be factored.
    let err = gp
        .log_marginal_likelihood_and_gradient(&[0.0, 800.0])
        .unwrap_err();
    assert!(matches!(err, GpError::NotPositiveDefinite { .. }), "{err}");
    assert!(err
        .to_string()
        .starts_with("the kernel matrix is not positive definite even with jitter"));
    assert_eq!(
        gp.condition_on(&[0.5, 0.5], &[f64::NAN])
            .unwrap_err()
            .to_string(),
        "ys[0] = NaN is not a finite number"
    );
}

#[test]
fn large_data_fit_on_a_subset_and_condition_on_all() {
    // 520 observations (> FIT_SUBSET): hyper-parameters from a subset, the model on every point.
    let space = Space::new(vec![
        param(
            "a",
            Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        ),
        param(
            "b",
            Domain::Float {
                low: 0.0,
                high: 1.0,
                log: false,
                step: None,
            },
        ),
    ])
    .unwrap();
    let mut r = ProposeRequest::new(space.clone(), vec![], vec![]);
    r.n = 520;
    let points = propose(&r).unwrap().points;
    let targets: Vec<f64> = points
        .iter()
        .map(|p| -(p[0] - 0.61).powi(2) - (p[1] - 0.27).powi(2))
        .collect();
    let mut req = ProposeRequest::new(space.clone(), points.clone(), targets);
    let cold = propose(&req).unwrap();
    req.warm_start = Some(cold.hyper.clone());
    let warm = propose(&req).unwrap();
    for p in cold.points.iter().chain(&warm.points) {
        space.check_point(p).unwrap();
        assert!(
            (p[0] - 0.61).abs() < 0.05 && (p[1] - 0.27).abs() < 0.05,
            "{p:?} is far from the maximum"
        );
        assert!(!points.contains(p));
    }
}
