//! Non-dominated sorting, crowding distance, Pareto front and hypervolume.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use approx::assert_relative_eq;
use proptest::prelude::*;
use tunekit_core::ga::{
    crowding_distance, hypervolume_2d, non_dominated_sort, pareto_front, problems, Direction,
};

const INF: f64 = f64::INFINITY;

/// Fronts by repeated removal of the points no remaining point dominates (O(n³)).
fn brute_force_fronts(values: &[Vec<f64>], dirs: &[Direction]) -> Vec<Vec<usize>> {
    let min: Vec<Vec<f64>> = values
        .iter()
        .map(|r| r.iter().zip(dirs).map(|(&v, d)| d.to_min(v)).collect())
        .collect();
    let dominates = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
    };
    let nan: Vec<usize> = (0..values.len())
        .filter(|&i| values[i].iter().any(|v| v.is_nan()))
        .collect();
    let mut left: Vec<usize> = (0..values.len()).filter(|i| !nan.contains(i)).collect();
    let mut fronts = Vec::new();
    while !left.is_empty() {
        let front: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&p| !left.iter().any(|&q| dominates(&min[q], &min[p])))
            .collect();
        left.retain(|p| !front.contains(p));
        fronts.push(front);
    }
    if !nan.is_empty() {
        fronts.push(nan);
    }
    fronts
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Minimize), Just(Direction::Maximize)]
}

/// Values on a coarse grid (ties and duplicates are common), with the odd ±∞ and NaN.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        20 => (0i32..5).prop_map(f64::from),
        4 => -3.0f64..3.0,
        1 => Just(INF),
        1 => Just(-INF),
        1 => Just(f64::NAN),
        1 => Just(-0.0),
    ]
}

fn case() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<Direction>)> {
    (2usize..=4, 0usize..60).prop_flat_map(|(m, n)| {
        (
            proptest::collection::vec(proptest::collection::vec(value(), m), n),
            proptest::collection::vec(direction(), m),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn non_dominated_sort_equals_brute_force((values, dirs) in case()) {
        let fronts = non_dominated_sort(&values, &dirs).unwrap();
        prop_assert_eq!(&fronts, &brute_force_fronts(&values, &dirs));
        let first = pareto_front(&values, &dirs).unwrap();
        let expected = brute_force_fronts(&values, &dirs).into_iter().next().unwrap_or_default();
        let expected = if expected.iter().any(|&i| values[i].iter().any(|v| v.is_nan())) { vec![] } else { expected };
        prop_assert_eq!(first, expected);
    }

    #[test]
    fn hypervolume_equals_the_union_of_boxes(points in proptest::collection::vec((0.0f64..1.2, 0.0f64..1.2), 0..25)) {
        let pts: Vec<[f64; 2]> = points.iter().map(|&(a, b)| [a, b]).collect();
        let r = [1.1, 1.1];
        // coordinate compression: each grid cell is covered or not
        let mut xs: Vec<f64> = pts.iter().map(|p| p[0].min(r[0])).chain([r[0]]).collect();
        let mut ys: Vec<f64> = pts.iter().map(|p| p[1].min(r[1])).chain([r[1]]).collect();
        xs.sort_by(f64::total_cmp);
        ys.sort_by(f64::total_cmp);
        let mut area = 0.0;
        for i in 0..xs.len() - 1 {
            for j in 0..ys.len() - 1 {
                let (cx, cy) = ((xs[i] + xs[i + 1]) / 2.0, (ys[j] + ys[j + 1]) / 2.0);
                if pts.iter().any(|p| p[0] <= cx && p[1] <= cy) {
                    area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
                }
            }
        }
        prop_assert!((hypervolume_2d(&pts, r) - area).abs() < 1e-12, "{} vs {}", hypervolume_2d(&pts, r), area);
    }
}

#[test]
fn sorts_a_small_hand_made_set() {
    let v = vec![
        vec![1.0, 5.0],
        vec![2.0, 3.0],
        vec![4.0, 1.0],
        vec![3.0, 4.0],
        vec![5.0, 5.0],
        vec![2.0, 3.0],
        vec![f64::NAN, 0.0],
    ];
    let dirs = [Direction::Minimize; 2];
    assert_eq!(
        non_dominated_sort(&v, &dirs).unwrap(),
        vec![vec![0, 1, 2, 5], vec![3], vec![4], vec![6]]
    );
    // maximising the second objective instead
    let dirs = [Direction::Minimize, Direction::Maximize];
    assert_eq!(
        non_dominated_sort(&v, &dirs).unwrap(),
        vec![vec![0], vec![1, 3, 4, 5], vec![2], vec![6]]
    );
    assert_eq!(pareto_front(&v, &dirs).unwrap(), vec![0]);
    // −∞ is the best a minimised objective can be
    let v = vec![
        vec![0.0, 0.0],
        vec![-INF, 1.0],
        vec![INF, -INF],
        vec![INF, INF],
    ];
    assert_eq!(
        non_dominated_sort(&v, &[Direction::Minimize; 2]).unwrap(),
        vec![vec![0, 1, 2], vec![3]]
    );
}

#[test]
fn crowding_distances_of_hand_computed_fronts() {
    let c = |v: &[[f64; 2]]| {
        crowding_distance(&v.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    };
    // unit ranges: inner points get (gap in f1) + (gap in f2)
    let d = c(&[[0.0, 1.0], [0.25, 0.5], [0.5, 0.25], [1.0, 0.0]]);
    assert_eq!(d[0], INF);
    assert_eq!(d[3], INF);
    assert_relative_eq!(d[1], 0.5 + 0.75);
    assert_relative_eq!(d[2], 0.75 + 0.5);
    // unequal ranges are normalised: f1 over 4, f2 over 10
    let d = c(&[[0.0, 10.0], [1.0, 4.0], [3.0, 2.0], [4.0, 0.0]]);
    assert_relative_eq!(d[1], 3.0 / 4.0 + 8.0 / 10.0);
    assert_relative_eq!(d[2], 3.0 / 4.0 + 4.0 / 10.0);
    // a duplicate counts once: the second copy gets 0
    let d = c(&[[0.0, 1.0], [0.5, 0.5], [0.5, 0.5], [1.0, 0.0]]);
    assert_eq!(d, vec![INF, 2.0, 0.0, INF]);
    // a constant objective adds nothing
    assert_eq!(
        c(&[[0.0, 5.0], [1.0, 5.0], [2.0, 5.0]]),
        vec![INF, 1.0, INF]
    );
    // at most two points: all extremes
    assert_eq!(c(&[[0.0, 1.0], [1.0, 0.0]]), vec![INF, INF]);
    assert_eq!(c(&[[3.0, 3.0]]), vec![INF]);
    assert!(c(&[]).is_empty());
    // an infinite value is an extreme; gaps use the finite range (f1: 0..2, f2: 0..3)
    let d = c(&[[-INF, 3.0], [0.0, 2.0], [1.0, 1.0], [2.0, 0.0]]);
    assert_eq!((d[0], d[3]), (INF, INF));
    assert_relative_eq!(d[1], (1.0 - 0.0) / 2.0 + (3.0 - 1.0) / 3.0);
    assert_relative_eq!(d[2], (2.0 - 0.0) / 2.0 + (2.0 - 0.0) / 3.0);
    // three objectives
    let d = crowding_distance(&[
        vec![0.0, 0.0, 2.0],
        vec![1.0, 1.0, 1.0],
        vec![2.0, 2.0, 0.0],
    ])
    .unwrap();
    assert_eq!(d, vec![INF, 3.0, INF]);
}

#[test]
fn crowding_rejects_ragged_rows() {
    let e = crowding_distance(&[vec![0.0, 1.0], vec![1.0]]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "individual 1 has 1 objective values but there are 2 directions"
    );
}

#[test]
fn hypervolume_of_simple_sets_and_the_zdt1_front() {
    assert_relative_eq!(hypervolume_2d(&[[0.0, 0.0]], [1.0, 1.0]), 1.0);
    assert_relative_eq!(hypervolume_2d(&[[0.0, 0.5], [0.5, 0.0]], [1.0, 1.0]), 0.75);
    // dominated points, duplicates, points beyond the reference and NaN add nothing
    let pts = [
        [0.0, 0.5],
        [0.5, 0.0],
        [0.6, 0.6],
        [0.5, 0.0],
        [2.0, -1.0],
        [f64::NAN, 0.0],
    ];
    assert_relative_eq!(hypervolume_2d(&pts, [1.0, 1.0]), 0.75);
    assert_eq!(hypervolume_2d(&[], [1.0, 1.0]), 0.0);
    // the ZDT1 front f2 = 1 − √f1, densely sampled: 0.1·1.1 + ∫₀¹ (0.1 + √x) dx = 0.87667
    let front: Vec<[f64; 2]> = (0..=20_000)
        .map(|i| {
            let f1 = f64::from(i) / 20_000.0;
            [f1, 1.0 - f1.sqrt()]
        })
        .collect();
    assert!((hypervolume_2d(&front, [1.1, 1.1]) - (0.11 + 0.1 + 2.0 / 3.0)).abs() < 1e-3);
    // and ZDT1's objectives at g = 1 (x₂… = 0) lie on it
    let f = problems::zdt1(&[0.25, 0.0, 0.0]);
    assert_relative_eq!(f[1], 0.5);
}
