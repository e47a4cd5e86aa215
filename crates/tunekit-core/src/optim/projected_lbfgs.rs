//! Projected L-BFGS with an ε-active set and a backtracking line search along
//! the projected path. See the module documentation for the references.

use std::collections::VecDeque;

use super::OptimError;

/// Settings of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Number of (s, y) correction pairs kept (L-BFGS memory).
    pub memory: usize,
    /// Largest number of iterations (one line search each).
    pub max_iter: usize,
    /// Largest number of objective evaluations, the starting one included.
    pub max_evals: usize,
    /// Stop when the largest component of the projected gradient
    /// `P(x − g) − x` is at most this.
    pub pgtol: f64,
    /// Stop when an iteration lowers `f` by at most `ftol · max(|f|, |f_new|, 1)`.
    pub ftol: f64,
    /// Largest coordinate change of the first (steepest-descent) step; later steps
    /// are scaled by the curvature the iterations have seen. Small values suit
    /// warm starts near the optimum.
    pub initial_step: f64,
}

impl Default for Options {
    fn default() -> Self {
        // pgtol and ftol as SciPy's L-BFGS-B (ftol = factr 1e7 × machine epsilon).
        Self {
            memory: 10,
            max_iter: 200,
            max_evals: 500,
            pgtol: 1e-5,
            ftol: 1e7 * f64::EPSILON,
            initial_step: 1.0,
        }
    }
}

/// The result of [`minimize`]: the best point found and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub f: f64,
    /// Gradient at `x`.
    pub grad: Vec<f64>,
    pub iterations: usize,
    pub evaluations: usize,
    /// Whether a stopping test (`pgtol` or `ftol`) was met, rather than a budget
    /// being spent or the line search failing.
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn masked_dot(a: &[f64], b: &[f64], free: &[bool]) -> f64 {
    a.iter()
        .zip(b)
        .zip(free)
        .filter(|(_, &f)| f)
        .map(|((x, y), _)| x * y)
        .sum()
}

struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

/// Minimises `f` over the box `lower ≤ x ≤ upper` from `x0` (clamped into the box).
///
/// `f(x, grad)` returns the value at `x` and writes the gradient into `grad`.
/// It may return a non-finite value where it is undefined; the line search then
/// shortens the step. Bounds may be infinite.
pub fn minimize<F>(
    mut f: F,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &Options,
) -> Result<Minimum, OptimError>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = x0.len();
    if lower.len() != n || upper.len() != n {
        return Err(OptimError::DimensionMismatch {
            x0: n,
            lower: lower.len(),
            upper: upper.len(),
        });
    }
    for i in 0..n {
        if lower[i].is_nan() || upper[i].is_nan() || lower[i] > upper[i] {
            return Err(OptimError::InvalidBounds {
                index: i,
                lower: lower[i],
                upper: upper[i],
            });
        }
        if !x0[i].is_finite() {
            return Err(OptimError::NonFiniteStart {
                index: i,
                value: x0[i],
            });
        }
    }
    if opts.memory == 0 {
        return Err(OptimError::InvalidOption {
            name: "memory",
            value: 0.0,
            reason: "keep at least one correction pair",
        });
    }
    if opts.pgtol.is_nan() || opts.pgtol < 0.0 {
        return Err(OptimError::InvalidOption {
            name: "pgtol",
            value: opts.pgtol,
            reason: "must be a non-negative number",
        });
    }
    if !opts.initial_step.is_finite() || opts.initial_step <= 0.0 {
        return Err(OptimError::InvalidOption {
            name: "initial_step",
            value: opts.initial_step,
            reason: "must be a finite number > 0",
        });
    }
    if opts.ftol.is_nan() || opts.ftol < 0.0 {
        return Err(OptimError::InvalidOption {
            name: "ftol",
            value: opts.ftol,
            reason: "must be a non-negative number",
        });
    }
    let project = |x: &mut [f64]| {
        for i in 0..x.len() {
            x[i] = x[i].clamp(lower[i], upper[i]);
        }
    };
    let mut x = x0.to_vec();
    project(&mut x);
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut evals = 1usize;
    if !fx.is_finite() {
        return Err(OptimError::NonFiniteObjective { value: fx });
    }
    if let Some(i) = g.iter().position(|v| !v.is_finite()) {
        return Err(OptimError::NonFiniteGradient {
            index: i,
            value: g[i],
        });
    }
    if n == 0 {
        return Ok(Minimum {
            x,
            f: fx,
            grad: g,
            iterations: 0,
            evaluations: evals,
            converged: true,
        });
    }

    let mut mem: VecDeque<Pair> = VecDeque::with_capacity(opts.memory);
    let mut free = vec![true; n];
    let mut d = vec![0.0; n];
    let mut alpha_buf = vec![0.0; opts.memory];
    let mut xt = vec![0.0; n];
    let mut gt = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;

    while iterations < opts.max_iter && evals < opts.max_evals {
        // Projected gradient P(x − g) − x and its largest component.
        let pg_norm = (0..n)
            .map(|i| ((x[i] - g[i]).clamp(lower[i], upper[i]) - x[i]).abs())
            .fold(0.0, f64::max);
        if pg_norm <= opts.pgtol {
            converged = true;
            break;
        }
        iterations += 1;
        // ε-active set (Bertsekas 1982): near a bound with the gradient pointing out of the box.
        let eps = pg_norm.min(1e-3);
        for i in 0..n {
            let at_lower = x[i] - lower[i] <= eps && g[i] > 0.0;
            let at_upper = upper[i] - x[i] <= eps && g[i] < 0.0;
            free[i] = !(at_lower || at_upper);
        }
        let mut have_direction = false;
        for attempt in 0..2 {
            if attempt == 1 || mem.is_empty() {
                mem.clear();
                // Steepest descent on the free coordinates, the largest step `initial_step`
                // (1 after a reset).
                let gmax = (0..n)
                    .filter(|&i| free[i])
                    .map(|i| g[i].abs())
                    .fold(0.0, f64::max);
                if gmax == 0.0 {
                    break;
                }
                let scale = if iterations == 1 {
                    opts.initial_step
                } else {
                    1.0
                };
                for i in 0..n {
                    d[i] = if free[i] { -g[i] / gmax * scale } else { 0.0 };
                }
            } else {
                // Two-loop recursion restricted to the free coordinates.
                for i in 0..n {
                    d[i] = if free[i] { g[i] } else { 0.0 };
                }
                for (k, p) in mem.iter().enumerate().rev() {
                    let a = p.rho * masked_dot(&p.s, &d, &free);
                    alpha_buf[k] = a;
                    for i in 0..n {
                        if free[i] {
                            d[i] -= a * p.y[i];
                        }
                    }
                }
                if let Some(last) = mem.back() {
                    let gamma = dot(&last.s, &last.y) / dot(&last.y, &last.y);
                    for v in d.iter_mut() {
                        *v *= gamma;
                    }
                }
                for (k, p) in mem.iter().enumerate() {
                    let b = p.rho * masked_dot(&p.y, &d, &free);
                    for i in 0..n {
                        if free[i] {
                            d[i] += p.s[i] * (alpha_buf[k] - b);
                        }
                    }
                }
                for v in d.iter_mut() {
                    *v = -*v;
                }
            }
            let dg = dot(&d, &g);
            if dg < 0.0 && d.iter().all(|v| v.is_finite()) {
                have_direction = true;
                break;
            }
        }
        if !have_direction {
            // No descent direction on the free set: a (numerically) stationary point.
            converged = true;
            break;
        }

        // Backtracking along the projected path x(t) = P(x + t·d).
        let dg0 = dot(&d, &g);
        let mut t = 1.0;
        let mut accepted = false;
        let mut ft = f64::INFINITY;
        for _ in 0..40 {
            if evals >= opts.max_evals {
                break;
            }
            for i in 0..n {
                xt[i] = x[i] + t * d[i];
            }
            project(&mut xt);
            let decrease: f64 = (0..n).map(|i| g[i] * (xt[i] - x[i])).sum();
            if xt == x {
                break;
            }
            ft = f(&xt, &mut gt);
            evals += 1;
            let finite = ft.is_finite() && gt.iter().all(|v| v.is_finite());
            if finite && ft <= fx + 1e-4 * decrease {
                accepted = true;
                break;
            }
            // Quadratic model along the unprojected direction, safeguarded to [0.1 t, 0.5 t].
            let t_new = if finite {
                let denom = 2.0 * (ft - fx - dg0 * t);
                if denom > 0.0 {
                    -dg0 * t * t / denom
                } else {
                    0.5 * t
                }
            } else {
                0.1 * t
            };
            t = t_new.clamp(0.1 * t, 0.5 * t);
        }
        if !accepted {
            if !mem.is_empty() {
                // Retry from steepest descent once before giving up.
                mem.clear();
                continue;
            }
            break;
        }
        let s: Vec<f64> = (0..n).map(|i| xt[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| gt[i] - g[i]).collect();
        let sy = dot(&s, &y);
        let yy = dot(&y, &y);
        if sy > 1e-10 * yy && sy > 0.0 {
            if mem.len() == opts.memory {
                mem.pop_front();
            }
            mem.push_back(Pair {
                s,
                y,
                rho: 1.0 / sy,
            });
        }
        let small_decrease = fx - ft <= opts.ftol * fx.abs().max(ft.abs()).max(1.0);
        x.copy_from_slice(&xt);
        g.copy_from_slice(&gt);
        fx = ft;
        if small_decrease {
            converged = true;
            break;
        }
    }
    Ok(Minimum {
        x,
        f: fx,
        grad: g,
        iterations,
        evaluations: evals,
        converged,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let n = x.len();
        let mut f = 0.0;
        g.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = 1.0 - x[i];
            f += 100.0 * a * a + b * b;
            g[i] += -400.0 * x[i] * a - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
        f
    }

    #[test]
    fn rosenbrock_unconstrained_minimum() {
        let inf = f64::INFINITY;
        let m = minimize(
            rosenbrock,
            &[-1.2, 1.0, -0.5, 0.8],
            &[-inf; 4],
            &[inf; 4],
            &Options::default(),
        )
        .unwrap();
        for v in &m.x {
            assert!((v - 1.0).abs() < 1e-4, "{:?}", m);
        }
        assert!(m.f < 1e-8);
    }

    #[test]
    fn rosenbrock_with_active_upper_bound() {
        // With x0 ≤ 0.5 the constrained minimum of the 2-D Rosenbrock is (0.5, 0.25).
        let m = minimize(
            rosenbrock,
            &[-1.0, 2.0],
            &[-2.0, -2.0],
            &[0.5, 2.0],
            &Options::default(),
        )
        .unwrap();
        assert!((m.x[0] - 0.5).abs() < 1e-9, "{:?}", m);
        assert!((m.x[1] - 0.25).abs() < 1e-4, "{:?}", m);
        assert!((m.f - 0.25).abs() < 1e-6);
    }

    #[test]
    fn quadratic_with_bounds_on_both_sides() {
        // f = Σ (i+1)(x_i − c_i)², c outside the box on several coordinates.
        let c = [3.0, -2.0, 0.3, 5.0, -0.7];
        let f = |x: &[f64], g: &mut [f64]| {
            let mut s = 0.0;
            for i in 0..x.len() {
                let w = (i + 1) as f64;
                s += w * (x[i] - c[i]).powi(2);
                g[i] = 2.0 * w * (x[i] - c[i]);
            }
            s
        };
        let tight = Options {
            ftol: 0.0,
            pgtol: 1e-10,
            ..Options::default()
        };
        let m = minimize(f, &[0.0; 5], &[-1.0; 5], &[1.0; 5], &tight).unwrap();
        let expect = [1.0, -1.0, 0.3, 1.0, -0.7];
        for (a, b) in m.x.iter().zip(expect) {
            assert!((a - b).abs() < 1e-9, "{:?}", m.x);
        }
        assert!(m.converged);
    }

    #[test]
    fn infinite_values_shorten_the_step() {
        // log barrier undefined for x ≤ 0: f = x − ln x has its minimum at 1.
        let f = |x: &[f64], g: &mut [f64]| {
            if x[0] <= 0.0 {
                return f64::INFINITY;
            }
            g[0] = 1.0 - 1.0 / x[0];
            x[0] - x[0].ln()
        };
        let m = minimize(f, &[8.0], &[-10.0], &[10.0], &Options::default()).unwrap();
        assert!((m.x[0] - 1.0).abs() < 1e-4, "{:?}", m);
    }

    #[test]
    fn errors_name_the_bad_value() {
        let f = |_: &[f64], _: &mut [f64]| 0.0;
        let o = Options::default();
        assert_eq!(
            minimize(f, &[0.0], &[0.0, 1.0], &[1.0], &o).unwrap_err(),
            OptimError::DimensionMismatch {
                x0: 1,
                lower: 2,
                upper: 1
            }
        );
        assert!(minimize(f, &[0.0], &[2.0], &[1.0], &o)
            .unwrap_err()
            .to_string()
            .contains("lower = 2 must not exceed upper = 1"));
        assert!(minimize(f, &[f64::NAN], &[0.0], &[1.0], &o)
            .unwrap_err()
            .to_string()
            .contains("coordinate 0 of the starting point is NaN"));
        let nan = |_: &[f64], _: &mut [f64]| f64::NAN;
        assert!(minimize(nan, &[0.5], &[0.0], &[1.0], &o)
            .unwrap_err()
            .to_string()
            .contains("objective is NaN"));
        let o0 = Options {
            memory: 0,
            ..Options::default()
        };
        assert!(minimize(f, &[0.5], &[0.0], &[1.0], &o0)
            .unwrap_err()
            .to_string()
            .contains("memory = 0"));
    }
}
