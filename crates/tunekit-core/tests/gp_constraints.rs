//! Constrained Bayesian optimisation and failure-aware proposals
//! (`acquisition::feasibility`, `acquisition::failure`): the constrained
//! optimum of a known problem, the search for feasibility when nothing is
//! feasible, the failure model's smoothing (one flaky failure does not close a
//! region, repeated failures do), proposals that avoid failing categories,
//! and every new error with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::acquisition::failure::FailureModel;
use tunekit_core::acquisition::{propose, Acquisition, BoError, ProposeRequest};
use tunekit_core::space::{Domain, Param, Space};

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

fn square() -> Space {
    Space::new(vec![float("x", 0.0, 1.0), float("y", 0.0, 1.0)]).unwrap()
}

/// Minimise (x − 0.8)² + (y − 0.8)² subject to x + y ≤ 1: the optimum is
/// (0.5, 0.5) with value 0.18.
fn objective(p: &[f64]) -> f64 {
    -((p[0] - 0.8).powi(2) + (p[1] - 0.8).powi(2))
}
fn constraint(p: &[f64]) -> f64 {
    p[0] + p[1] - 1.0
}

#[test]
fn finds_the_constrained_optimum_and_stays_feasible() {
    let space = square();
    let mut points: Vec<Vec<f64>> = space.sobol_points(0, 8, 3);
    for seed in 0..22u64 {
        let mut req = ProposeRequest::new(
            space.clone(),
            points.clone(),
            points.iter().map(|p| objective(p)).collect(),
        );
        req.constraints = points.iter().map(|p| vec![constraint(p)]).collect();
        req.seed = seed;
        let p = propose(&req).unwrap().points.remove(0);
        points.push(p);
    }
    let late = &points[points.len() - 12..];
    let feasible_late = late.iter().filter(|p| constraint(p) <= 1e-3).count();
    assert!(
        feasible_late >= 9,
        "{feasible_late} of 12 late points feasible"
    );
    let best = points
        .iter()
        .filter(|p| constraint(p) <= 0.0)
        .map(|p| -objective(p))
        .fold(f64::INFINITY, f64::min);
    // 0.18 is the constrained minimum; the unconstrained one (0) is infeasible.
    assert!(
        (0.18 - 1e-9..0.18 + 0.01).contains(&best),
        "best feasible {best}"
    );
}

#[test]
fn with_nothing_feasible_it_looks_for_feasibility() {
    // Feasible only where x ≤ 0.15; every observation is at x ≥ 0.5.
    let space = square();
    let points: Vec<Vec<f64>> = (0..8)
        .map(|i| vec![0.5 + 0.06 * i as f64, (i as f64 * 0.37) % 1.0])
        .collect();
    let mut req = ProposeRequest::new(
        space,
        points.clone(),
        points.iter().map(|p| p[0] + p[1]).collect(),
    );
    req.constraints = points.iter().map(|p| vec![p[0] - 0.15]).collect();
    let out = propose(&req).unwrap();
    // The objective (largest at x = 1) would pull right; feasibility pulls left.
    assert!(out.points[0][0] < 0.5, "proposed {:?}", out.points[0]);
}

fn cat_space() -> Space {
    Space::new(vec![
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 5 },
        },
        float("x", -5.0, 5.0),
    ])
    .unwrap()
}

#[test]
fn one_flaky_failure_does_not_close_a_region_repeated_failures_do() {
    let s = cat_space();
    let enc = |c: f64, x: f64| s.encode(&[c, x]);
    // Category 0: six successes and one failure; category 1: three failures.
    let ok: Vec<Vec<f64>> = [-4.0, -2.0, 0.0, 1.0, 2.5, 4.0]
        .iter()
        .map(|&x| enc(0.0, x))
        .chain([enc(2.0, 0.0), enc(3.0, 1.0)])
        .collect();
    let failed = vec![enc(0.0, 0.5), enc(1.0, -3.0), enc(1.0, 0.0), enc(1.0, 3.0)];
    let m = FailureModel::fit(&s, &ok, &failed).unwrap();
    let flaky = m.p_ok(&enc(0.0, 0.5));
    let crashing = m.p_ok(&enc(1.0, 1.5));
    let unseen = m.p_ok(&enc(4.0, 0.0));
    assert!(flaky > 0.6, "P(ok) at the flaky failure {flaky}");
    assert!(crashing < 0.25, "P(ok) where every trial failed {crashing}");
    assert!(
        unseen > crashing && unseen < flaky,
        "unseen category {unseen}"
    );
    // Prior: the overall success rate (8 + 1) / (12 + 2) with the weight of one trial.
    let none = FailureModel::fit(&s, &ok, &[]);
    assert!(none.is_none());
}

/// 25 proposals after 10 space-filling points on `cat_space` where categories
/// 1 and 3 always fail; how many land on them.
fn proposals_on_failing(failure_aware: bool) -> usize {
    let s = cat_space();
    let obj = |p: &[f64]| -((p[1] - 1.0) * (p[1] - 1.0)) - [0.5, 0.0, 0.0, 0.0, 1.0][p[0] as usize];
    let fails = |p: &[f64]| p[0] == 1.0 || p[0] == 3.0;
    let (mut points, mut failed): (Vec<Vec<f64>>, Vec<Vec<f64>>) = s
        .sobol_points(0, 10, 7)
        .into_iter()
        .partition(|p| !fails(p));
    let mut on_failing = 0;
    for seed in 0..25u64 {
        let mut req = ProposeRequest::new(
            s.clone(),
            points.clone(),
            points.iter().map(|p| obj(p)).collect(),
        );
        if failure_aware {
            req.failed = failed.clone();
        }
        req.seed = seed;
        let p = propose(&req).unwrap().points.remove(0);
        if fails(&p) {
            on_failing += 1;
            failed.push(p);
        } else {
            points.push(p);
        }
    }
    on_failing
}

#[test]
fn proposals_avoid_categories_that_always_fail() {
    let with = proposals_on_failing(true);
    let without = proposals_on_failing(false);
    eprintln!("{without} of 25 without the model, {with} with");
    assert!(with <= 4, "{with} of 25 proposals on failing categories");
    assert!(without >= 8, "{without} of 25 without the model");
}

#[test]
fn constraint_errors_name_the_bad_value() {
    let space = square();
    let points = vec![vec![0.1, 0.2], vec![0.5, 0.5], vec![0.9, 0.3]];
    let targets = vec![1.0, 2.0, 3.0];
    let mut req = ProposeRequest::new(space, points, targets);
    req.constraints = vec![vec![0.0], vec![1.0]];
    let e = propose(&req).unwrap_err();
    assert_eq!(e, BoError::ConstraintRows { rows: 2, points: 3 });
    assert_eq!(
        e.to_string(),
        "2 rows of constraint values but 3 points: give one row per point (or none)"
    );
    req.constraints = vec![vec![0.0], vec![1.0, 2.0], vec![0.0]];
    let e = propose(&req).unwrap_err();
    assert_eq!(
        e.to_string(),
        "constraints[1] has 2 values but the first row has 1: every observation needs the same constraints (at least one)"
    );
    req.constraints = vec![vec![0.0], vec![f64::INFINITY], vec![0.0]];
    assert_eq!(
        propose(&req).unwrap_err(),
        BoError::NonFiniteConstraint {
            index: 1,
            constraint: 0,
            value: f64::INFINITY
        }
    );
    req.constraints = vec![vec![0.0], vec![f64::NAN], vec![-1.0]];
    assert!(
        propose(&req).is_ok(),
        "NaN is a value the observation lacks"
    );
    req.acquisition = Acquisition::Ucb { kappa: 2.0 };
    assert_eq!(propose(&req).unwrap_err(), BoError::ConstrainedUcb);
    req.constraints.clear();
    req.failed = vec![vec![2.0, 0.5]];
    let e = propose(&req).unwrap_err();
    assert!(e.to_string().starts_with("failed[0]: "), "{e}");
}

#[test]
fn one_flaky_failure_at_the_optimum_does_not_push_proposals_away() {
    let s = cat_space();
    let obj = |p: &[f64]| -((p[1] - 1.0) * (p[1] - 1.0)) - [0.0, 2.0, 2.0, 2.0, 2.0][p[0] as usize];
    let mut points: Vec<Vec<f64>> = [-4.0, -2.5, -1.0, 0.2, 0.7, 1.6, 2.4, 3.5]
        .iter()
        .map(|&x| vec![0.0, x])
        .collect();
    points.extend([vec![2.0, 1.0], vec![4.0, -1.0], vec![1.0, 3.0]]);
    let failed = vec![vec![0.0, 1.0]];
    let mut near = 0;
    for seed in 0..8u64 {
        let mut req = ProposeRequest::new(
            s.clone(),
            points.clone(),
            points.iter().map(|p| obj(p)).collect(),
        );
        req.failed = failed.clone();
        req.seed = seed;
        let p = propose(&req).unwrap().points.remove(0);
        if p[0] == 0.0 && (p[1] - 1.0).abs() < 0.6 {
            near += 1;
        }
    }
    assert!(
        near >= 6,
        "{near} of 8 proposals near the optimum next to one failure"
    );
}
