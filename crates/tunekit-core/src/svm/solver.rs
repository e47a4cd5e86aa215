//! SMO for the binary C-SVC dual, with second-order working-set selection and
//! shrinking.
//!
//! Solves `min ½αᵀQα − eᵀα` subject to `yᵀα = 0`, `0 ≤ α_t ≤ C_t`, where
//! `Q_st = y_s y_t K(x_s, x_t)`.
//!
//! - Working set (Fan, Chen & Lin, JMLR 6, 2005, "WSS 2"): `i` maximises
//!   `−y_t ∇f_t` over `I_up`; `j` minimises `−b²/a` over the `t ∈ I_low` with
//!   `−y_t ∇f_t < −y_i ∇f_i`, `a = Q_ii + Q_tt − 2y_i y_t Q_it` (τ = 1e-12 when
//!   `a ≤ 0`). Stop when `m(α) − M(α) < eps`. As in LIBSVM, later positions win
//!   ties (comparisons are `≥` / `≤`), and positions are those of the current
//!   active set.
//! - Two-variable update with the clipping of Chang & Lin, *LIBSVM: a library for
//!   support vector machines* (ACM TIST 2011), §4.1 / §6 (separate cases for
//!   `y_i ≠ y_j` and `y_i = y_j`).
//! - Shrinking and gradient reconstruction (Chang & Lin 2011, §5): every
//!   `min(l, 1000)` iterations variables at a bound that cannot move are moved to
//!   the end of the active set by swapping; the first time the gap falls below
//!   `10·eps` the whole gradient is rebuilt from `Ḡ` (the contribution of the
//!   variables at their upper bound) and the free variables; when the active
//!   problem is solved, the full gradient is rebuilt and optimality rechecked.
//! - `ρ` (Chang & Lin 2011, §4.2): mean of `y_t ∇f_t` over free variables, else
//!   the midpoint of the feasible interval.
//!
//! Kernel values come as `f32` and the diagonal, gradients and α as `f64`, as
//! in LIBSVM, so results agree with it to the last bit when the kernel values do.
//!
//! Internally the labels are folded into the gradient: the solver keeps
//! `F_t = −y_t ∇f_t` (and `F̄_t = −y_t Ḡ_t`) and uses unsigned kernel values, so
//! no sign is applied in the inner loops. Every formula below is LIBSVM's with
//! `∇f_t = −y_t F_t` substituted; since multiplying by ±1 and negating are exact
//! in IEEE arithmetic, each value is bit-for-bit the one LIBSVM computes.

use super::q_matrix::QRows;

const TAU: f64 = 1e-12;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Lower,
    Upper,
    Free,
}

/// One binary problem.
pub(crate) struct Problem<'a> {
    /// +1 / −1 per variable
    pub y: &'a [i8],
    /// upper bound per variable
    pub c: &'a [f64],
    pub eps: f64,
    pub shrinking: bool,
    pub max_iter: u64,
}

/// The solution, in the variables' original order.
#[derive(Debug, Clone)]
pub(crate) struct Solution {
    /// `y_t α_t`
    pub coef: Vec<f64>,
    pub rho: f64,
    pub iterations: u64,
    /// false when the iteration cap stopped the solver
    pub converged: bool,
}

struct Smo<'q, Q: QRows> {
    q: &'q mut Q,
    l: usize,
    active: usize,
    // per position (swapped together when shrinking)
    y: Vec<i8>,
    /// `F = −y ∇f`
    f: Vec<f64>,
    /// `F̄ = −y Ḡ`
    f_bar: Vec<f64>,
    alpha: Vec<f64>,
    status: Vec<Status>,
    /// in `I_up`: α_t can move so that `y_t α_t` increases
    up: Vec<bool>,
    /// in `I_low`: α_t can move so that `y_t α_t` decreases
    low: Vec<bool>,
    c: Vec<f64>,
    qd: Vec<f64>,
    orig: Vec<usize>,
    eps: f64,
    unshrunk: bool,
}

/// Solves the problem; `q` gives the kernel rows in the problem's variable order.
pub(crate) fn solve<Q: QRows>(problem: &Problem<'_>, q: &mut Q) -> Solution {
    let l = problem.y.len();
    let qd = (0..l).map(|t| q.diag(t)).collect();
    let mut s = Smo {
        q,
        l,
        active: l,
        y: problem.y.to_vec(),
        // α = 0, ∇f = −e, so F = y
        f: problem.y.iter().map(|&y| f64::from(y)).collect(),
        f_bar: vec![0.0; l],
        alpha: vec![0.0; l],
        status: vec![Status::Lower; l],
        up: vec![false; l],
        low: vec![false; l],
        c: problem.c.to_vec(),
        qd,
        orig: (0..l).collect(),
        eps: problem.eps,
        unshrunk: false,
    };
    for t in 0..l {
        s.update_status(t);
    }
    s.run(problem.shrinking, problem.max_iter, problem.y)
}

impl<Q: QRows> Smo<'_, Q> {
    #[inline]
    fn update_status(&mut self, t: usize) {
        let st = if self.alpha[t] >= self.c[t] {
            Status::Upper
        } else if self.alpha[t] <= 0.0 {
            Status::Lower
        } else {
            Status::Free
        };
        self.status[t] = st;
        let pos = self.y[t] == 1;
        self.up[t] = if pos { st != Status::Upper } else { st != Status::Lower };
        self.low[t] = if pos { st != Status::Lower } else { st != Status::Upper };
    }

    fn run(mut self, shrinking: bool, max_iter: u64, y_orig: &[i8]) -> Solution {
        let l = self.l;
        let mut iter: u64 = 0;
        let mut counter = l.min(1000) + 1;
        let mut converged = true;
        loop {
            if iter >= max_iter {
                converged = false;
                break;
            }
            counter -= 1;
            if counter == 0 {
                counter = l.min(1000);
                if shrinking {
                    self.do_shrinking();
                }
            }
            let (i, j) = match self.select_working_set() {
                Some(pair) => pair,
                None => {
                    self.reconstruct_gradient();
                    self.active = l;
                    match self.select_working_set() {
                        Some(pair) => {
                            counter = 1;
                            pair
                        }
                        None => break,
                    }
                }
            };
            iter += 1;
            self.take_step(i, j);
        }

        let rho = self.calculate_rho();
        let mut coef = vec![0.0; l];
        for t in 0..l {
            coef[self.orig[t]] = self.alpha[t];
        }
        for (a, &y) in coef.iter_mut().zip(y_orig) {
            *a *= f64::from(y);
        }
        Solution { coef, rho, iterations: iter, converged }
    }

    /// Updates α_i, α_j, F and F̄.
    fn take_step(&mut self, i: usize, j: usize) {
        let active = self.active;
        let (yi, yj) = (f64::from(self.y[i]), f64::from(self.y[j]));
        let c_i = self.c[i];
        let c_j = self.c[j];
        let old_ai = self.alpha[i];
        let old_aj = self.alpha[j];
        let (mut ai, mut aj) = (old_ai, old_aj);
        // ∇f_i, ∇f_j
        let gi = -yi * self.f[i];
        let gj = -yj * self.f[j];
        let (ki, kj) = self.q.rows2(i, j, active);
        // Q_ii + Q_jj ∓ 2Q_ij with Q_ij = y_i y_j K_ij is Q_ii + Q_jj − 2K_ij either way
        let mut quad = self.qd[i] + self.qd[j] - 2.0 * f64::from(ki[j]);
        if quad <= 0.0 {
            quad = TAU;
        }

        if self.y[i] != self.y[j] {
            let delta = (-gi - gj) / quad;
            let diff = ai - aj;
            ai += delta;
            aj += delta;
            if diff > 0.0 {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = diff;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = -diff;
            }
            if diff > c_i - c_j {
                if ai > c_i {
                    ai = c_i;
                    aj = c_i - diff;
                }
            } else if aj > c_j {
                aj = c_j;
                ai = c_j + diff;
            }
        } else {
            let delta = (gi - gj) / quad;
            let sum = ai + aj;
            ai -= delta;
            aj += delta;
            if sum > c_i {
                if ai > c_i {
                    ai = c_i;
                    aj = sum - c_i;
                }
            } else if aj < 0.0 {
                aj = 0.0;
                ai = sum;
            }
            if sum > c_j {
                if aj > c_j {
                    aj = c_j;
                    ai = sum - c_j;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = sum;
            }
        }
        self.alpha[i] = ai;
        self.alpha[j] = aj;

        // ∇f_k += Q_ik Δα_i + Q_jk Δα_j  ⇔  F_k −= K_ik y_iΔα_i + K_jk y_jΔα_j
        let ydi = yi * (ai - old_ai);
        let ydj = yj * (aj - old_aj);
        for ((f, &a), &b) in self.f[..active].iter_mut().zip(ki).zip(kj) {
            *f -= f64::from(a) * ydi + f64::from(b) * ydj;
        }

        let was_upper_i = self.status[i] == Status::Upper;
        let was_upper_j = self.status[j] == Status::Upper;
        self.update_status(i);
        self.update_status(j);
        let l = self.l;
        for (t, yc, was_upper) in [(i, yi * c_i, was_upper_i), (j, yj * c_j, was_upper_j)] {
            let is_upper = self.status[t] == Status::Upper;
            if was_upper != is_upper {
                // Ḡ_k ∓= C_t Q_tk  ⇔  F̄_k ±= y_t C_t K_tk
                let kt = self.q.row(t, 0, l);
                if was_upper {
                    for (fb, &k) in self.f_bar.iter_mut().zip(kt) {
                        *fb += yc * f64::from(k);
                    }
                } else {
                    for (fb, &k) in self.f_bar.iter_mut().zip(kt) {
                        *fb -= yc * f64::from(k);
                    }
                }
            }
        }
    }

    /// WSS 2; `None` when optimal within `eps`.
    fn select_working_set(&mut self) -> Option<(usize, usize)> {
        let active = self.active;
        let mut gmax = f64::NEG_INFINITY;
        let mut gmax2 = f64::NEG_INFINITY;
        let mut gmax_idx: Option<usize> = None;
        let mut gmin_idx: Option<usize> = None;
        let mut obj_diff_min = f64::INFINITY;

        // i: max of −y∇f over I_up (last one on ties)
        for t in 0..active {
            if self.up[t] && self.f[t] >= gmax {
                gmax = self.f[t];
                gmax_idx = Some(t);
            }
        }

        match gmax_idx {
            Some(i) => {
                let ki = self.q.row(i, 0, active);
                let qd_i = self.qd[i];
                for t in 0..active {
                    if self.low[t] {
                        let ft = self.f[t];
                        let grad_diff = gmax - ft;
                        if -ft >= gmax2 {
                            gmax2 = -ft;
                        }
                        if grad_diff > 0.0 {
                            let quad = qd_i + self.qd[t] - 2.0 * f64::from(ki[t]);
                            let obj_diff = if quad > 0.0 {
                                -(grad_diff * grad_diff) / quad
                            } else {
                                -(grad_diff * grad_diff) / TAU
                            };
                            if obj_diff <= obj_diff_min {
                                gmin_idx = Some(t);
                                obj_diff_min = obj_diff;
                            }
                        }
                    }
                }
            }
            None => {
                for t in 0..active {
                    if self.low[t] && -self.f[t] >= gmax2 {
                        gmax2 = -self.f[t];
                    }
                }
            }
        }

        // LIBSVM's test (`gap < eps` stops), so a NaN gap behaves the same
        let optimal = gmax + gmax2 < self.eps;
        match (gmax_idx, gmin_idx) {
            (Some(i), Some(j)) if !optimal => Some((i, j)),
            _ => None,
        }
    }

    /// A bounded variable that cannot move in the direction that would help.
    #[inline]
    fn be_shrunk(&self, t: usize, gmax1: f64, gmax2: f64) -> bool {
        if !self.up[t] {
            self.f[t] > gmax1
        } else if !self.low[t] {
            -self.f[t] > gmax2
        } else {
            false
        }
    }

    fn do_shrinking(&mut self) {
        let mut gmax1 = f64::NEG_INFINITY; // max −y∇f over I_up
        let mut gmax2 = f64::NEG_INFINITY; // max  y∇f over I_low
        for t in 0..self.active {
            let ft = self.f[t];
            if self.up[t] && ft >= gmax1 {
                gmax1 = ft;
            }
            if self.low[t] && -ft >= gmax2 {
                gmax2 = -ft;
            }
        }

        if !self.unshrunk && gmax1 + gmax2 <= self.eps * 10.0 {
            self.unshrunk = true;
            self.reconstruct_gradient();
            self.active = self.l;
        }

        let mut t = 0;
        while t < self.active {
            if self.be_shrunk(t, gmax1, gmax2) {
                self.active -= 1;
                while self.active > t {
                    if !self.be_shrunk(self.active, gmax1, gmax2) {
                        self.swap(t, self.active);
                        break;
                    }
                    self.active -= 1;
                }
            }
            t += 1;
        }
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.q.swap(a, b);
        self.y.swap(a, b);
        self.f.swap(a, b);
        self.f_bar.swap(a, b);
        self.alpha.swap(a, b);
        self.status.swap(a, b);
        self.up.swap(a, b);
        self.low.swap(a, b);
        self.c.swap(a, b);
        self.qd.swap(a, b);
        self.orig.swap(a, b);
    }

    /// Rebuilds F of the inactive variables from F̄ and the free variables.
    fn reconstruct_gradient(&mut self) {
        let (active, l) = (self.active, self.l);
        if active == l {
            return;
        }
        // ∇f = Ḡ + p with p = −1  ⇔  F = F̄ + y
        for t in active..l {
            self.f[t] = self.f_bar[t] + f64::from(self.y[t]);
        }
        let n_free = (0..active).filter(|&t| self.status[t] == Status::Free).count();
        // ∇f_t += α_s Q_st  ⇔  F_t −= (y_s α_s) K_st, summed over free s in position order
        if n_free * l > 2 * active * (l - active) {
            for i in active..l {
                let ki = self.q.row(i, 0, active);
                let mut f = self.f[i];
                for t in 0..active {
                    if self.status[t] == Status::Free {
                        f -= (f64::from(self.y[t]) * self.alpha[t]) * f64::from(ki[t]);
                    }
                }
                self.f[i] = f;
            }
        } else {
            for i in 0..active {
                if self.status[i] == Status::Free {
                    let ya = f64::from(self.y[i]) * self.alpha[i];
                    let ki = self.q.row(i, active, l);
                    for t in active..l {
                        self.f[t] -= ya * f64::from(ki[t]);
                    }
                }
            }
        }
    }

    fn calculate_rho(&self) -> f64 {
        let mut n_free = 0usize;
        let mut ub = f64::INFINITY;
        let mut lb = f64::NEG_INFINITY;
        let mut sum_free = 0.0;
        for t in 0..self.active {
            let yg = -self.f[t];
            match self.status[t] {
                Status::Upper => {
                    if self.y[t] == -1 {
                        ub = ub.min(yg);
                    } else {
                        lb = lb.max(yg);
                    }
                }
                Status::Lower => {
                    if self.y[t] == 1 {
                        ub = ub.min(yg);
                    } else {
                        lb = lb.max(yg);
                    }
                }
                Status::Free => {
                    n_free += 1;
                    sum_free += yg;
                }
            }
        }
        if n_free > 0 {
            sum_free / n_free as f64
        } else {
            (ub + lb) / 2.0
        }
    }
}
