//! The termination criteria that trigger a restart, as the `cmaes`
//! package's `should_stop`: a flat value history (tolfun 1e-12 over the last
//! 10 + ⌈30n/λ⌉ generations), a vanishing step (tolx = 1e-12 σ₀), divergence
//! (σ·max D > 1e4), no effect of a 0.2σ step along a coordinate or of a 0.1σ
//! step along a principal axis, and a condition number of C above 1e14.

use super::eigen::decompose;
use super::state::CmaState;
use super::strategy::Strategy;

/// tolfun of the value history.
pub const TOLFUN: f64 = 1e-12;
/// tolx relative to the run's initial step size.
pub const TOLX_FACTOR: f64 = 1e-12;
/// Divergence bound on σ·max D.
pub const TOLXUP: f64 = 1e4;
/// Largest condition number (max D / min D) of C kept.
pub const TOL_CONDITION: f64 = 1e14;

/// Why a run stops, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    TolFun,
    TolX,
    TolXUp,
    NoEffectCoordinate,
    NoEffectAxis,
    ConditionCov,
}

/// The first criterion that holds for `state`, if any.
pub fn should_stop(state: &CmaState, s: &Strategy) -> Option<StopReason> {
    let eig = decompose(state);
    let dc = state.diagonal();
    let n = state.n;
    if state.generation as usize > s.funhist_term {
        let (lo, hi) = state
            .funhist
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        if hi - lo < TOLFUN {
            return Some(StopReason::TolFun);
        }
    }
    let tolx = TOLX_FACTOR * state.sigma0;
    // As the package: σ·C_ii (not its square root) and σ·p_c without a modulus.
    if dc.iter().all(|&c| state.sigma * c < tolx)
        && state.pc.iter().all(|&p| state.sigma * p < tolx)
    {
        return Some(StopReason::TolX);
    }
    let d_max = eig.d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let d_min = eig.d.iter().copied().fold(f64::INFINITY, f64::min);
    if state.sigma * d_max > TOLXUP {
        return Some(StopReason::TolXUp);
    }
    if state
        .mean
        .iter()
        .zip(&dc)
        .any(|(&m, &c)| m == m + 0.2 * state.sigma * c.max(0.0).sqrt())
    {
        return Some(StopReason::NoEffectCoordinate);
    }
    let i = state.generation as usize % n;
    let axis_has_no_effect = (0..n).all(|j| {
        let b = if eig.diagonal { 1.0 } else { eig.b[j * n + i] };
        state.mean[j] == state.mean[j] + 0.1 * state.sigma * eig.d[i] * b
    });
    if axis_has_no_effect {
        return Some(StopReason::NoEffectAxis);
    }
    if d_max / d_min > TOL_CONDITION {
        return Some(StopReason::ConditionCov);
    }
    None
}
