//! Transfer across studies (RGPE, `tunekit_core::transfer`) through
//! `propose`: a base task equal to the target function takes most of the
//! weight after a few target observations, a negated one none, an old study
//! sharing a subset of the parameters works, the first proposal with no
//! target observation is the base models' optimum, the plain path reports no
//! weights, and every transfer error with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::acquisition::{propose, BoError, ProposeRequest};
use tunekit_core::random::sobol_point;
use tunekit_core::space::{Domain, Param, Space};
use tunekit_core::transfer::{BaseTask, TransferError};

fn float(name: &str, low: f64, high: f64) -> Param {
    Param {
        name: name.into(),
        domain: Domain::Float {
            low,
            high,
            log: false,
            step: None,
        },
    }
}

fn space(d: usize) -> Space {
    Space::new((0..d).map(|k| float(&format!("x{k}"), -2.0, 2.0)).collect()).unwrap()
}

/// A shifted sphere to maximise: optimum 0 at (0.7, −0.4, …).
fn f(x: &[f64]) -> f64 {
    -x.iter()
        .enumerate()
        .map(|(k, v)| {
            let c = if k % 2 == 0 { 0.7 } else { -0.4 };
            (v - c) * (v - c)
        })
        .sum::<f64>()
}

fn points(s: &Space, n: usize, seed: u64) -> Vec<Vec<f64>> {
    (0..n as u64)
        .map(|i| s.from_unit(&sobol_point(i, s.len(), seed)))
        .collect()
}

fn task(s: &Space, n: usize, seed: u64, g: impl Fn(&[f64]) -> f64) -> BaseTask {
    let points = points(s, n, seed);
    let targets = points.iter().map(|p| g(p)).collect();
    BaseTask { points, targets }
}

fn request(s: &Space, n_obs: usize, transfer: Vec<BaseTask>) -> ProposeRequest {
    let pts = points(s, n_obs, 99);
    let ys = pts.iter().map(|p| f(p)).collect();
    let mut req = ProposeRequest::new(s.clone(), pts, ys);
    req.seed = 7;
    req.transfer = transfer;
    req
}

#[test]
fn related_task_takes_the_weight_and_negated_one_none() {
    let s = space(2);
    let related = task(&s, 40, 1, f);
    let negated = task(&s, 40, 2, |x| -f(x));
    let p = propose(&request(&s, 8, vec![related, negated])).unwrap();
    let w = &p.transfer_weights;
    assert_eq!(w.len(), 3);
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{w:?}");
    assert!(w[0] > 0.6, "related weight {w:?}");
    assert_eq!(w[1], 0.0, "negated weight {w:?}");
    // The proposal lies near the shared optimum (0.7, −0.4).
    let x = &p.points[0];
    assert!(
        (x[0] - 0.7).abs() < 0.3 && (x[1] + 0.4).abs() < 0.3,
        "{x:?}"
    );
}

#[test]
fn unrelated_tasks_leave_the_weight_to_the_target_model() {
    let s = space(2);
    let negated = task(&s, 40, 2, |x| -f(x));
    let p = propose(&request(&s, 12, vec![negated])).unwrap();
    let w = &p.transfer_weights;
    assert_eq!(w[0], 0.0, "{w:?}");
    assert_eq!(w[1], 1.0, "{w:?}");
}

#[test]
fn fewer_than_three_observations_give_the_target_no_weight() {
    let s = space(2);
    let related = task(&s, 30, 1, f);
    let negated = task(&s, 30, 2, |x| -f(x));
    let p = propose(&request(&s, 2, vec![related.clone(), negated.clone()])).unwrap();
    assert_eq!(p.transfer_weights[2], 0.0);
    // No target observation: the bases tie and share equally; the proposal
    // maximises their mean (f and −f cancel, so use the related one alone).
    let p = propose(&request(&s, 0, vec![related.clone(), negated])).unwrap();
    assert_eq!(p.transfer_weights, vec![0.5, 0.5, 0.0]);
    let p = propose(&request(&s, 0, vec![related])).unwrap();
    assert_eq!(p.transfer_weights, vec![1.0, 0.0]);
    let x = &p.points[0];
    assert!(
        (x[0] - 0.7).abs() < 0.25 && (x[1] + 0.4).abs() < 0.25,
        "{x:?}"
    );
}

#[test]
fn an_old_study_with_a_subset_of_the_parameters_is_used() {
    // The new space has a third parameter the old study lacks (NaN) and that
    // barely matters.
    let s = space(3);
    let g = |x: &[f64]| f(&x[..2]) - 0.01 * x[2] * x[2];
    let sub = space(2);
    let mut old = task(&sub, 40, 3, f);
    for p in &mut old.points {
        p.push(f64::NAN);
    }
    let negated = {
        let mut t = task(&sub, 40, 4, |x| -f(x));
        for p in &mut t.points {
            p.push(f64::NAN);
        }
        t
    };
    let pts = points(&s, 8, 99);
    let ys = pts.iter().map(|p| g(p)).collect();
    let mut req = ProposeRequest::new(s.clone(), pts, ys);
    req.transfer = vec![old, negated];
    let p = propose(&req).unwrap();
    let w = &p.transfer_weights;
    assert!(w[0] > 0.6, "{w:?}");
    assert_eq!(w[1], 0.0, "{w:?}");
    assert_eq!(p.points[0].len(), 3);
}

#[test]
fn the_plain_path_reports_no_weights_and_is_unchanged_by_an_empty_transfer() {
    let s = space(2);
    let req = request(&s, 12, Vec::new());
    let p = propose(&req).unwrap();
    assert!(p.transfer_weights.is_empty());
    // Transfer from a task without a model (one point), from 10 new
    // observations on (below: space-filling, see the next test): same points
    // as plain.
    let one = BaseTask {
        points: vec![vec![0.0, 0.0]],
        targets: vec![1.0],
    };
    let q = propose(&request(&s, 12, vec![one])).unwrap();
    assert_eq!(q.transfer_weights, vec![0.0, 1.0]);
    assert_eq!(q.points, p.points);
    assert_eq!(q.hyper, p.hyper);
}

#[test]
fn every_old_study_at_weight_zero_before_ten_observations_space_fills() {
    let s = space(2);
    let negated = || task(&s, 40, 2, |x| -f(x));
    // 6 spread observations rank the negated study out: weight 0, and the
    // proposal is the space-filling (Sobol) point the plain GP's startup
    // would take, not the GP's: no acquisition value.
    let p = propose(&request(&s, 6, vec![negated()])).unwrap();
    assert_eq!(p.transfer_weights, vec![0.0, 1.0]);
    assert!(p.acquisition_values[0].is_nan(), "{p:?}");
    let u0 = s.from_unit(&sobol_point(0, 2, 7));
    assert_eq!(p.points[0], u0);
    // A batch of 3: three distinct Sobol points.
    let mut req = request(&s, 6, vec![negated()]);
    req.n = 3;
    let b = propose(&req).unwrap();
    assert_eq!(b.points.len(), 3);
    assert_eq!(b.points[0], u0);
    assert!(b.points[0] != b.points[1] && b.points[1] != b.points[2]);
    assert!(b.acquisition_values.iter().all(|v| v.is_nan()));
    // From 10 observations on, the GP proposes (as in plain mode).
    let q = propose(&request(&s, 10, vec![negated()])).unwrap();
    assert_eq!(q.transfer_weights, vec![0.0, 1.0]);
    assert!(q.acquisition_values[0].is_finite(), "{q:?}");
    // A related study keeps weight: the ensemble proposes.
    let r = propose(&request(&s, 6, vec![task(&s, 40, 1, f), negated()])).unwrap();
    assert!(r.transfer_weights[0] > 0.0, "{:?}", r.transfer_weights);
    assert!(r.acquisition_values[0].is_finite(), "{r:?}");
}

#[test]
fn a_shifted_old_study_yields_to_the_new_model_near_the_new_optimum() {
    // The old study's optimum is shifted by 5 % of each range (0.2). The new
    // study has 10 spread observations, which the old model ranks well, and 5
    // around its own optimum (0.7, −0.4), where the old model's slope points
    // the wrong way. The ranking loss counts only the pairs touching the best
    // quarter (the near points), so the old study gets weight 0 (counting
    // every pair, it kept 0.13).
    let s = space(2);
    let g = |x: &[f64]| f(&[x[0] - 0.2, x[1] - 0.2]);
    let mut pts = points(&s, 10, 99);
    for i in 0..5 {
        let a = i as f64 * 2.4;
        let r = 0.3 * (0.3 + 0.7 * i as f64 / 5.0);
        pts.push(vec![0.7 + r * a.cos(), -0.4 + r * a.sin()]);
    }
    let ys = pts.iter().map(|p| f(p)).collect();
    let mut req = ProposeRequest::new(s.clone(), pts, ys);
    req.seed = 7;
    req.transfer = vec![task(&s, 40, 1, g)];
    let p = propose(&req).unwrap();
    assert_eq!(p.transfer_weights, vec![0.0, 1.0]);
    // With the 10 spread observations alone it keeps most of the weight.
    let q = propose(&request(&s, 10, vec![task(&s, 40, 1, g)])).unwrap();
    assert!(q.transfer_weights[0] > 0.5, "{:?}", q.transfer_weights);
}

#[test]
fn weights_are_deterministic_for_a_seed() {
    let s = space(2);
    let mk = || request(&s, 6, vec![task(&s, 30, 1, f), task(&s, 30, 5, |x| x[0])]);
    let a = propose(&mk()).unwrap();
    let b = propose(&mk()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn transfer_errors_name_the_task_and_the_value() {
    let s = space(2);
    let cases: Vec<(BaseTask, TransferError, &str)> = vec![
        (
            BaseTask {
                points: vec![vec![0.0, 0.0]],
                targets: vec![],
            },
            TransferError::LengthMismatch {
                task: 0,
                points: 1,
                targets: 0,
            },
            "transfer[0]: 1 points but 0 targets: give one target per point",
        ),
        (
            BaseTask {
                points: vec![vec![0.0]],
                targets: vec![1.0],
            },
            TransferError::PointLength {
                task: 0,
                index: 0,
                expected: 2,
                got: 1,
            },
            "transfer[0].points[0] has 1 values but the space has 2 parameters (NaN for a parameter the old study lacks)",
        ),
        (
            BaseTask {
                points: vec![vec![0.0, 5.0]],
                targets: vec![1.0],
            },
            TransferError::InvalidValue {
                task: 0,
                index: 0,
                param: "x1".into(),
                value: 5.0,
            },
            "transfer[0].points[0]: x1 = 5 is outside its domain",
        ),
        (
            BaseTask {
                points: vec![vec![0.0, 0.0]],
                targets: vec![f64::NAN],
            },
            TransferError::NonFiniteTarget {
                task: 0,
                index: 0,
                value: f64::NAN,
            },
            "transfer[0].targets[0] = NaN is not a finite number",
        ),
        (
            BaseTask {
                points: vec![vec![f64::NAN, 0.0], vec![0.0, f64::NAN]],
                targets: vec![1.0, 2.0],
            },
            TransferError::NoSharedParameter { task: 0 },
            "transfer[0] shares no parameter with the space: every parameter is NaN in at least one of its points",
        ),
    ];
    for (t, want, msg) in cases {
        let err = propose(&request(&s, 4, vec![task(&s, 5, 1, f), t])).unwrap_err();
        let want = match want {
            TransferError::LengthMismatch {
                points, targets, ..
            } => TransferError::LengthMismatch {
                task: 1,
                points,
                targets,
            },
            TransferError::PointLength {
                index,
                expected,
                got,
                ..
            } => TransferError::PointLength {
                task: 1,
                index,
                expected,
                got,
            },
            TransferError::InvalidValue {
                index,
                param,
                value,
                ..
            } => TransferError::InvalidValue {
                task: 1,
                index,
                param,
                value,
            },
            TransferError::NonFiniteTarget { index, .. } => {
                // NaN ≠ NaN: compare the message only.
                assert_eq!(
                    err.to_string(),
                    msg.replace("[0]", "[1]").replacen("[1] =", "[0] =", 1)
                );
                let _ = index;
                continue;
            }
            TransferError::NoSharedParameter { .. } => TransferError::NoSharedParameter { task: 1 },
            other => other,
        };
        assert_eq!(err, BoError::Transfer(want));
        assert_eq!(
            err.to_string(),
            msg.replacen("transfer[0]", "transfer[1]", 1)
        );
    }
}
