//! Parameters held fixed in a proposal (`ProposeRequest::fixed`): the model
//! learns along a fidelity dimension from observations at every budget and
//! proposes at the largest; every proposed point (model, space-filling and
//! batch) takes the fixed value; the errors name the entry and the parameter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tunekit_core::acquisition::{propose, BoError, ProposeRequest};
use tunekit_core::random::sobol_point;
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

/// x ∈ [0, 1] searched, b ∈ [0, 3] a log-budget (1..e³ epochs).
fn space() -> Space {
    Space::new(vec![float("x", 0.0, 1.0), float("b", 0.0, 3.0)]).unwrap()
}

/// A learning curve to maximise: at full budget (b = 3) the optimum is x =
/// 0.3; at low budgets the curve is lower and its optimum is elsewhere (x =
/// 0.8 at b = 0), so the low-budget observations alone would mislead.
fn f(x: f64, b: f64) -> f64 {
    let t = b / 3.0;
    let centre = 0.8 + (0.3 - 0.8) * t;
    -(x - centre).powi(2) - 0.5 * (1.0 - t)
}

/// Hyperband-like observations: many configurations at b = 0, fewer at 1.5, a few at 3.
fn observations() -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut pts = Vec::new();
    for i in 0..18u64 {
        let x = sobol_point(i, 1, 5)[0];
        let budgets: &[f64] = match i % 6 {
            0 => &[0.0, 1.5, 3.0],
            1 | 2 => &[0.0, 1.5],
            _ => &[0.0],
        };
        for &b in budgets {
            pts.push(vec![x, b]);
        }
    }
    let ys = pts.iter().map(|p| f(p[0], p[1])).collect();
    (pts, ys)
}

#[test]
fn proposals_take_the_fixed_value_and_follow_the_full_budget_optimum() {
    let (pts, ys) = observations();
    let mut req = ProposeRequest::new(space(), pts, ys);
    req.seed = 3;
    req.n = 3;
    req.fixed = vec![None, Some(3.0)];
    let p = propose(&req).unwrap();
    assert_eq!(p.points.len(), 3);
    for q in &p.points {
        assert_eq!(q[1], 3.0, "{q:?}");
    }
    // The first point of the batch is near the full-budget optimum 0.3, not
    // the low-budget one 0.8 that most observations favour.
    let x = p.points[0][0];
    assert!((x - 0.3).abs() < 0.15, "x = {x}");
    // Without the fixed value the search space includes low budgets: at
    // least one point of a same-seed batch is below the full budget, so the
    // fixed value is what keeps them there.
    req.fixed = Vec::new();
    let free = propose(&req).unwrap();
    assert!(free.points.iter().any(|q| q[1] < 3.0), "{:?}", free.points);
}

#[test]
fn space_filling_points_take_the_fixed_value() {
    let mut req = ProposeRequest::new(space(), vec![vec![0.5, 0.0]], vec![1.0]);
    req.n = 4;
    req.fixed = vec![None, Some(3.0)];
    let p = propose(&req).unwrap();
    assert_eq!(p.points.len(), 4);
    assert!(p.points.iter().all(|q| q[1] == 3.0), "{:?}", p.points);
    assert!(p.acquisition_values.iter().all(|v| v.is_nan()));
    let mut xs: Vec<f64> = p.points.iter().map(|q| q[0]).collect();
    xs.dedup();
    assert_eq!(xs.len(), 4, "distinct points {:?}", p.points);
}

#[test]
fn a_fixed_categorical_and_integer_are_kept() {
    let s = Space::new(vec![
        float("x", 0.0, 1.0),
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 3 },
        },
        Param {
            name: "k".into(),
            domain: Domain::Int {
                low: 1,
                high: 9,
                step: 1,
                log: false,
            },
        },
    ])
    .unwrap();
    let pts: Vec<Vec<f64>> = (0..12u64)
        .map(|i| s.from_unit(&sobol_point(i, 3, 1)))
        .collect();
    let ys = pts.iter().map(|p| -(p[0] - 0.5).powi(2) + p[1]).collect();
    let mut req = ProposeRequest::new(s, pts, ys);
    req.n = 2;
    req.fixed = vec![None, Some(0.0), Some(4.0)];
    let p = propose(&req).unwrap();
    for q in &p.points {
        assert_eq!((q[1], q[2]), (0.0, 4.0), "{q:?}");
    }
}

#[test]
fn fixed_errors_name_the_entry() {
    let (pts, ys) = observations();
    let mut req = ProposeRequest::new(space(), pts, ys);
    req.fixed = vec![Some(3.0)];
    let e = propose(&req).unwrap_err();
    assert_eq!(
        e,
        BoError::FixedLength {
            expected: 2,
            got: 1
        }
    );
    assert!(e
        .to_string()
        .contains("fixed has 1 entries but the space has 2 parameters"));
    req.fixed = vec![None, Some(3.5)];
    let e = propose(&req).unwrap_err();
    assert_eq!(
        e.to_string(),
        "fixed[1] = 3.5 is not a valid value of parameter \"b\""
    );
    req.fixed = vec![None, Some(f64::INFINITY)];
    assert!(matches!(
        propose(&req).unwrap_err(),
        BoError::InvalidFixed { index: 1, .. }
    ));
}

#[test]
fn a_configuration_seen_at_a_low_budget_is_not_proposed_again() {
    // Category 0 is clearly best at every budget observed; categories 0 and 1
    // were run at the low budgets only. At the top budget the model would
    // pick category 0 again; it is the same configuration, so the proposal
    // is the unseen category 2 (and category 0 without the fixed budget's rule
    // would be a new point only because its budget differs).
    let s = Space::new(vec![
        Param {
            name: "c".into(),
            domain: Domain::Categorical { n_choices: 3 },
        },
        float("b", 0.0, 3.0),
    ])
    .unwrap();
    let pts = vec![
        vec![0.0, 0.0],
        vec![0.0, 1.0],
        vec![1.0, 0.0],
        vec![1.0, 1.0],
        vec![0.0, 0.5],
    ];
    let ys = pts
        .iter()
        .map(|p| if p[0] == 0.0 { 1.0 + p[1] } else { -1.0 + p[1] })
        .collect();
    let mut req = ProposeRequest::new(s, pts, ys);
    req.fixed = vec![None, Some(3.0)];
    let p = propose(&req).unwrap();
    assert_eq!(p.points[0], vec![2.0, 3.0]);
}
