//! Drawing a candidate: x = m + σ B (D ∘ z), z ~ N(0, I), redrawn while it
//! leaves the unit cube (up to a set number of times, then clipped into it),
//! as the `cmaes` package's `ask`; with margin, only the continuous
//! coordinates must be inside, and the margin coordinates are put on their
//! levels ([`super::margin::encode`]).

use crate::random::FastRng;

use super::eigen::Eigen;
use super::margin;
use super::state::CmaState;

/// One candidate: `x` is what the update is told (the raw draw), `encoded`
/// the unit-cube point to evaluate (margin coordinates on their levels).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub x: Vec<f64>,
    pub encoded: Vec<f64>,
}

fn draw(state: &CmaState, eig: &Eigen, rng: &mut FastRng) -> Vec<f64> {
    let z: Vec<f64> = (0..state.n).map(|_| rng.normal()).collect();
    let y = eig.transform(&z);
    state
        .mean
        .iter()
        .zip(&y)
        .map(|(m, y)| m + state.sigma * y)
        .collect()
}

/// A candidate from `state` (decomposed as `eig`); `grid[i]` is the number
/// of levels of a margin coordinate (used only when the state has a margin).
pub fn sample(
    state: &CmaState,
    eig: &Eigen,
    grid: &[Option<usize>],
    resamplings: usize,
    rng: &mut FastRng,
) -> Candidate {
    let margin = !state.margin_a.is_empty();
    let constrained = |i: usize| !(margin && grid[i].is_some());
    let inside = |x: &[f64]| {
        x.iter()
            .enumerate()
            .all(|(i, &v)| !constrained(i) || (0.0..=1.0).contains(&v))
    };
    let mut x = draw(state, eig, rng);
    let mut tries = 1;
    while !inside(&x) && tries < resamplings {
        x = draw(state, eig, rng);
        tries += 1;
    }
    if !inside(&x) {
        // the package draws once more before clipping
        x = draw(state, eig, rng);
        for (i, v) in x.iter_mut().enumerate() {
            if constrained(i) {
                *v = v.clamp(0.0, 1.0);
            }
        }
    }
    let encoded = x
        .iter()
        .enumerate()
        .map(|(i, &v)| match grid[i] {
            Some(levels) if margin => margin::encode(v, state.mean[i], state.margin_a[i], levels),
            _ => v,
        })
        .collect();
    Candidate { x, encoded }
}
