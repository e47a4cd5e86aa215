//! The update of a generation (Hansen 2016, eqs. 41–47, as the `cmaes`
//! package's `tell`): weighted recombination of the sorted steps, cumulative
//! step-size adaptation, and the rank-one plus rank-μ covariance update with
//! negative weights (full) or their diagonal (separable).

use super::eigen::{decompose_and_repair, EPS};
use super::state::CmaState;
use super::strategy::{Kind, Strategy};

/// Largest step size kept (the package's `_SIGMA_MAX`).
pub const SIGMA_MAX: f64 = 1e32;

/// Updates `state` with one generation: `xs[k]` the raw draws, `values[k]`
/// their (minimised) values; `xs.len() == values.len() == λ`, checked by the caller.
pub fn update(state: &mut CmaState, s: &Strategy, xs: &[Vec<f64>], values: &[f64]) {
    let n = state.n;
    state.generation += 1;
    state.epoch += 1;
    let mut order: Vec<usize> = (0..xs.len()).collect();
    // stable: ties keep the order of the trials
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let term = s.funhist_term;
    let idx = 2 * (state.generation as usize % term);
    if state.funhist.len() == 2 * term {
        state.funhist[idx] = values[order[0]];
        state.funhist[idx + 1] = values[order[order.len() - 1]];
    }
    let eig = decompose_and_repair(state);
    let ys: Vec<Vec<f64>> = order
        .iter()
        .map(|&k| {
            xs[k]
                .iter()
                .zip(&state.mean)
                .map(|(x, m)| (x - m) / state.sigma)
                .collect()
        })
        .collect();
    // eq. 41
    let mut y_w = vec![0.0; n];
    for (y, w) in ys.iter().zip(&s.weights).take(s.mu) {
        for (acc, v) in y_w.iter_mut().zip(y) {
            *acc += w * v;
        }
    }
    for (m, v) in state.mean.iter_mut().zip(&y_w) {
        *m += s.cm * state.sigma * v;
    }
    // step-size control (eqs. 43–44)
    let c_inv_y_w = eig.inv_sqrt(&y_w);
    let k_sigma = (s.c_sigma * (2.0 - s.c_sigma) * s.mu_eff).sqrt();
    for (p, v) in state.p_sigma.iter_mut().zip(&c_inv_y_w) {
        *p = (1.0 - s.c_sigma) * *p + k_sigma * v;
    }
    let norm_ps = state.p_sigma.iter().map(|v| v * v).sum::<f64>().sqrt();
    state.sigma *= ((s.c_sigma / s.d_sigma) * (norm_ps / s.chi_n - 1.0)).exp();
    state.sigma = state.sigma.min(SIGMA_MAX);
    // h_σ (p. 28)
    let left =
        norm_ps / (1.0 - (1.0 - s.c_sigma).powf(2.0 * (state.generation as f64 + 1.0))).sqrt();
    let right = (1.4 + 2.0 / (n as f64 + 1.0)) * s.chi_n;
    let h_sigma = if left < right { 1.0 } else { 0.0 };
    // eq. 45
    let k_c = h_sigma * (s.cc * (2.0 - s.cc) * s.mu_eff).sqrt();
    for (p, v) in state.pc.iter_mut().zip(&y_w) {
        *p = (1.0 - s.cc) * *p + k_c * v;
    }
    let delta_h = (1.0 - h_sigma) * s.cc * (2.0 - s.cc);
    let w_sum: f64 = s.weights.iter().sum();
    let decay = 1.0 + s.c1 * delta_h - s.c1 - s.cmu * w_sum;
    match state.kind {
        Kind::Full => {
            // eq. 46: negative weights rescaled by n / ‖C^{-1/2} y‖²
            let w_io: Vec<f64> = ys
                .iter()
                .zip(&s.weights)
                .map(|(y, &w)| {
                    if w >= 0.0 {
                        w
                    } else {
                        let z = eig.inv_sqrt(y);
                        w * n as f64 / (z.iter().map(|v| v * v).sum::<f64>() + EPS)
                    }
                })
                .collect();
            // eq. 47
            for i in 0..n {
                for j in i..n {
                    let rank_mu: f64 = ys.iter().zip(&w_io).map(|(y, w)| w * y[i] * y[j]).sum();
                    let v = decay * state.cov[i * n + j]
                        + s.c1 * state.pc[i] * state.pc[j]
                        + s.cmu * rank_mu;
                    state.cov[i * n + j] = v;
                    state.cov[j * n + i] = v;
                }
            }
        }
        Kind::Separable => {
            for i in 0..n {
                let rank_mu: f64 = ys
                    .iter()
                    .zip(&s.weights)
                    .map(|(y, w)| w * y[i] * y[i])
                    .sum();
                state.cov[i] =
                    decay * state.cov[i] + s.c1 * state.pc[i] * state.pc[i] + s.cmu * rank_mu;
            }
        }
    }
}
