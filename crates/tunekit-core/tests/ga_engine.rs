//! `GaEngine`: a run kept between generations equals the stateless proposal
//! from the same pool, and steps that overlap or do not match the children
//! are refused with typed errors, leaving the run as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use tunekit_core::ga::{Brood, Direction, GaEngine, GaError, GaParams, Selection};
use tunekit_core::space::{Domain, Param, Space};

fn space() -> Space {
    Space::new(
        (0..4)
            .map(|i| Param {
                name: format!("x{i}"),
                domain: if i == 3 {
                    Domain::Int {
                        low: -3,
                        high: 3,
                        log: false,
                        step: 1,
                    }
                } else {
                    Domain::Float {
                        low: -3.0,
                        high: 3.0,
                        log: false,
                        step: None,
                    }
                },
            })
            .collect(),
    )
    .unwrap()
}

fn params() -> GaParams {
    GaParams {
        population_size: 12,
        selection: Selection::Tournament { size: 2 },
        elitism: 1,
        seed: 9,
        ..GaParams::nsga2()
    }
}

fn engine(directions: &[Direction]) -> Arc<GaEngine> {
    Arc::new(GaEngine::new(space(), params(), directions.to_vec()).unwrap())
}

/// The objective values of a block of children (row-major, 4 genes each).
fn evaluate(children: &[f64], m: usize) -> Vec<f64> {
    children
        .chunks(4)
        .flat_map(|x| {
            if m == 1 {
                vec![x.iter().map(|v| v * v).sum::<f64>()]
            } else {
                vec![x[0] * x[0] + x[1], x[2] - x[3]]
            }
        })
        .collect()
}

#[test]
fn stepping_the_engine_equals_the_stateless_proposal() {
    for directions in [
        vec![Direction::Minimize],
        vec![Direction::Minimize, Direction::Maximize],
    ] {
        let m = directions.len();
        let stepped = engine(&directions);
        let stateless = engine(&directions);
        let mut told: Vec<f64> = Vec::new();
        let (mut points, mut values): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
        for g in 0..6u64 {
            let x = stepped.advance(&told, None, 12).unwrap();
            let pool = stateless.pool(&points, &values, None).unwrap();
            let y = Brood::from(&stateless.propose(&pool, g, 12).unwrap());
            assert_eq!(x, y, "generation {g}, {m} objective(s)");
            assert_eq!(x.children.len(), 12 * 4);
            // the stateless caller's next pool: the parent population, then the children
            let vals = evaluate(&x.children, m);
            let (mut p, mut v) = (Vec::new(), Vec::new());
            for &j in &y.parents {
                p.extend_from_slice(&points[j * 4..(j + 1) * 4]);
                v.extend_from_slice(&values[j * m..(j + 1) * m]);
            }
            p.extend_from_slice(&y.children);
            v.extend_from_slice(&vals);
            (points, values) = (p, v);
            told = vals;
        }
    }
}

#[test]
fn overlapping_steps_are_refused() {
    let e = engine(&[Direction::Minimize]);
    let step = e.step().unwrap();
    assert_eq!(e.step().unwrap_err(), GaError::EngineBusy);
    assert_eq!(e.advance(&[], None, 12).unwrap_err(), GaError::EngineBusy);
    assert_eq!(
        GaError::EngineBusy.to_string(),
        "the GA engine is still running an advance() call: await it before the next step"
    );
    // a step held on another thread keeps the run until it is dropped there
    let first = std::thread::spawn(move || step.advance(&[], None, 12).unwrap())
        .join()
        .unwrap();
    let again = e.step().unwrap();
    let told = evaluate(&first.children, 1);
    let second = again.advance(&told, None, 12).unwrap();
    assert_eq!(e.advance(&told, None, 12).unwrap_err(), GaError::EngineBusy);
    drop(again);
    // the same run as an engine stepped without contention
    let f = engine(&[Direction::Minimize]);
    assert_eq!(f.advance(&[], None, 12).unwrap(), first);
    assert_eq!(f.advance(&told, None, 12).unwrap(), second);
}

#[test]
fn results_that_do_not_match_the_children_are_refused_and_change_nothing() {
    let e = engine(&[Direction::Minimize]);
    let reference = engine(&[Direction::Minimize]);
    // results before any child was proposed
    assert_eq!(
        e.advance(&[1.0], None, 12).unwrap_err(),
        GaError::AdvanceShape {
            values: 1,
            violations: 0,
            children: 0,
            objectives: 1
        }
    );
    let first = e.advance(&[], None, 12).unwrap();
    assert_eq!(first, reference.advance(&[], None, 12).unwrap());
    let told = evaluate(&first.children, 1);
    // too few values, too many violations, a bad violation, a bad setting of n
    let err = e.advance(&told[1..], None, 12).unwrap_err();
    assert_eq!(
        err.to_string(),
        "advance: 11 values and 0 violations for 12 children and 1 objectives"
    );
    assert!(matches!(
        e.advance(&told, Some(&[0.0; 13]), 12).unwrap_err(),
        GaError::AdvanceShape {
            violations: 13,
            children: 12,
            ..
        }
    ));
    assert!(matches!(
        e.advance(&told, Some(&[-1.0; 12]), 12).unwrap_err(),
        GaError::InvalidViolation { value, .. } if value == -1.0
    ));
    // the refused calls left the run as it was
    let second = e.advance(&told, None, 12).unwrap();
    assert_eq!(second, reference.advance(&told, None, 12).unwrap());
    // and the results of the first generation cannot be told twice
    assert!(matches!(
        e.advance(&[], None, 12).unwrap_err(),
        GaError::AdvanceShape {
            values: 0,
            children: 12,
            ..
        }
    ));
}

#[test]
fn settings_space_and_directions_are_checked_when_the_engine_is_made() {
    let bad = GaParams {
        population_size: 1,
        ..params()
    };
    assert_eq!(
        GaEngine::new(space(), bad, vec![Direction::Minimize]).unwrap_err(),
        GaError::PopulationTooSmall(1)
    );
    assert_eq!(
        GaEngine::new(space(), params(), vec![]).unwrap_err(),
        GaError::NoObjectives
    );
    let pool_err = engine(&[Direction::Minimize])
        .pool(&[0.0; 5], &[0.0], None)
        .unwrap_err();
    assert!(matches!(pool_err, GaError::PoolShape { points: 5, .. }));
}
