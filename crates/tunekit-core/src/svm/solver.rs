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

use super::kernel_cache::KernelSource;

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
    /// kernel id of each variable in the kernel source
    pub kid: &'a [u32],
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

struct Smo<'s, K: KernelSource> {
    src: &'s mut K,
    l: usize,
    active: usize,
    // per position (swapped together when shrinking)
    y: Vec<i8>,
    g: Vec<f64>,
    g_bar: Vec<f64>,
    alpha: Vec<f64>,
    status: Vec<Status>,
    c: Vec<f64>,
    qd: Vec<f64>,
    kid: Vec<u32>,
    orig: Vec<usize>,
    eps: f64,
    unshrunk: bool,
    // scratch columns
    qi: Vec<f32>,
    qj: Vec<f32>,
    qtmp: Vec<f32>,
}

pub(crate) fn solve<K: KernelSource>(problem: &Problem<'_>, src: &mut K) -> Solution {
    let l = problem.y.len();
    let qd = problem.kid.iter().map(|&k| src.diag(k)).collect();
    let mut s = Smo {
        src,
        l,
        active: l,
        y: problem.y.to_vec(),
        g: vec![-1.0; l],
        g_bar: vec![0.0; l],
        alpha: vec![0.0; l],
        status: Vec::with_capacity(l),
        c: problem.c.to_vec(),
        qd,
        kid: problem.kid.to_vec(),
        orig: (0..l).collect(),
        eps: problem.eps,
        unshrunk: false,
        qi: vec![0.0; l],
        qj: vec![0.0; l],
        qtmp: vec![0.0; l],
    };
    for t in 0..l {
        let st = s.status_of(t);
        s.status.push(st);
    }
    s.run(problem.shrinking, problem.max_iter)
}

impl<K: KernelSource> Smo<'_, K> {
    #[inline]
    fn status_of(&self, t: usize) -> Status {
        if self.alpha[t] >= self.c[t] {
            Status::Upper
        } else if self.alpha[t] <= 0.0 {
            Status::Lower
        } else {
            Status::Free
        }
    }

    #[inline]
    fn update_status(&mut self, t: usize) {
        self.status[t] = self.status_of(t);
    }

    /// `buf[k] = Q(i, k)` for positions `k` in `from..to`.
    fn fill_q(src: &mut K, kid: &[u32], y: &[i8], i: usize, from: usize, to: usize, buf: &mut [f32]) {
        src.column(kid[i], &kid[from..to], &mut buf[from..to]);
        let yi = y[i];
        for (q, &yk) in buf[from..to].iter_mut().zip(&y[from..to]) {
            if yk != yi {
                *q = -*q;
            }
        }
    }

    fn run(mut self, shrinking: bool, max_iter: u64) -> Solution {
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
            let o = self.orig[t];
            coef[o] = self.alpha[t];
        }
        for (a, y) in coef.iter_mut().zip(self.orig_y()) {
            *a *= f64::from(y);
        }
        Solution { coef, rho, iterations: iter, converged }
    }

    fn orig_y(&self) -> Vec<i8> {
        let mut y = vec![0i8; self.l];
        for t in 0..self.l {
            y[self.orig[t]] = self.y[t];
        }
        y
    }

    /// Updates α_i, α_j, the gradient and Ḡ. `self.qi` holds column `i` over the
    /// active set (filled by the working-set selection).
    fn take_step(&mut self, i: usize, j: usize) {
        let active = self.active;
        Self::fill_q(self.src, &self.kid, &self.y, j, 0, active, &mut self.qj);
        let qi = &self.qi;
        let qj = &self.qj;
        let c_i = self.c[i];
        let c_j = self.c[j];
        let old_ai = self.alpha[i];
        let old_aj = self.alpha[j];
        let q_ij = f64::from(qi[j]);
        let (mut ai, mut aj) = (old_ai, old_aj);

        if self.y[i] != self.y[j] {
            let mut quad = self.qd[i] + self.qd[j] + 2.0 * q_ij;
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (-self.g[i] - self.g[j]) / quad;
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
            let mut quad = self.qd[i] + self.qd[j] - 2.0 * q_ij;
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (self.g[i] - self.g[j]) / quad;
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

        let dai = ai - old_ai;
        let daj = aj - old_aj;
        for ((g, &a), &b) in self.g[..active].iter_mut().zip(&qi[..active]).zip(&qj[..active]) {
            *g += f64::from(a) * dai + f64::from(b) * daj;
        }

        let was_upper_i = self.status[i] == Status::Upper;
        let was_upper_j = self.status[j] == Status::Upper;
        self.update_status(i);
        self.update_status(j);
        let l = self.l;
        for (t, c_t, was_upper) in [(i, c_i, was_upper_i), (j, c_j, was_upper_j)] {
            let is_upper = self.status[t] == Status::Upper;
            if was_upper != is_upper {
                Self::fill_q(self.src, &self.kid, &self.y, t, 0, l, &mut self.qtmp);
                if was_upper {
                    for (gb, &q) in self.g_bar.iter_mut().zip(&self.qtmp) {
                        *gb -= c_t * f64::from(q);
                    }
                } else {
                    for (gb, &q) in self.g_bar.iter_mut().zip(&self.qtmp) {
                        *gb += c_t * f64::from(q);
                    }
                }
            }
        }
    }

    /// WSS 2; `None` when optimal within `eps`. Leaves column `i` in `self.qi`.
    fn select_working_set(&mut self) -> Option<(usize, usize)> {
        let active = self.active;
        let mut gmax = f64::NEG_INFINITY;
        let mut gmax2 = f64::NEG_INFINITY;
        let mut gmax_idx: Option<usize> = None;
        let mut gmin_idx: Option<usize> = None;
        let mut obj_diff_min = f64::INFINITY;

        for t in 0..active {
            if self.y[t] == 1 {
                if self.status[t] != Status::Upper && -self.g[t] >= gmax {
                    gmax = -self.g[t];
                    gmax_idx = Some(t);
                }
            } else if self.status[t] != Status::Lower && self.g[t] >= gmax {
                gmax = self.g[t];
                gmax_idx = Some(t);
            }
        }

        if let Some(i) = gmax_idx {
            Self::fill_q(self.src, &self.kid, &self.y, i, 0, active, &mut self.qi);
            let qd_i = self.qd[i];
            let two_yi = 2.0 * f64::from(self.y[i]);
            for t in 0..active {
                let g = self.g[t];
                if self.y[t] == 1 {
                    if self.status[t] != Status::Lower {
                        let grad_diff = gmax + g;
                        if g >= gmax2 {
                            gmax2 = g;
                        }
                        if grad_diff > 0.0 {
                            let quad = qd_i + self.qd[t] - two_yi * f64::from(self.qi[t]);
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
                } else if self.status[t] != Status::Upper {
                    let grad_diff = gmax - g;
                    if -g >= gmax2 {
                        gmax2 = -g;
                    }
                    if grad_diff > 0.0 {
                        let quad = qd_i + self.qd[t] + two_yi * f64::from(self.qi[t]);
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
        } else {
            // no i: only the stopping quantity is needed
            for t in 0..active {
                let g = self.g[t];
                if self.y[t] == 1 {
                    if self.status[t] != Status::Lower && g >= gmax2 {
                        gmax2 = g;
                    }
                } else if self.status[t] != Status::Upper && -g >= gmax2 {
                    gmax2 = -g;
                }
            }
        }

        // written as LIBSVM's test (`gap < eps` stops) so a NaN gap behaves the same
        let optimal = gmax + gmax2 < self.eps;
        match (gmax_idx, gmin_idx) {
            (Some(i), Some(j)) if !optimal => Some((i, j)),
            _ => None,
        }
    }

    fn be_shrunk(&self, t: usize, gmax1: f64, gmax2: f64) -> bool {
        match self.status[t] {
            Status::Upper => {
                if self.y[t] == 1 {
                    -self.g[t] > gmax1
                } else {
                    -self.g[t] > gmax2
                }
            }
            Status::Lower => {
                if self.y[t] == 1 {
                    self.g[t] > gmax2
                } else {
                    self.g[t] > gmax1
                }
            }
            Status::Free => false,
        }
    }

    fn do_shrinking(&mut self) {
        let mut gmax1 = f64::NEG_INFINITY; // max −y∇f over I_up
        let mut gmax2 = f64::NEG_INFINITY; // max  y∇f over I_low
        for t in 0..self.active {
            let g = self.g[t];
            if self.y[t] == 1 {
                if self.status[t] != Status::Upper && -g >= gmax1 {
                    gmax1 = -g;
                }
                if self.status[t] != Status::Lower && g >= gmax2 {
                    gmax2 = g;
                }
            } else {
                if self.status[t] != Status::Upper && -g >= gmax2 {
                    gmax2 = -g;
                }
                if self.status[t] != Status::Lower && g >= gmax1 {
                    gmax1 = g;
                }
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
        self.y.swap(a, b);
        self.g.swap(a, b);
        self.g_bar.swap(a, b);
        self.alpha.swap(a, b);
        self.status.swap(a, b);
        self.c.swap(a, b);
        self.qd.swap(a, b);
        self.kid.swap(a, b);
        self.orig.swap(a, b);
    }

    /// Rebuilds the gradient of the inactive variables from Ḡ and the free ones.
    fn reconstruct_gradient(&mut self) {
        let (active, l) = (self.active, self.l);
        if active == l {
            return;
        }
        for t in active..l {
            self.g[t] = self.g_bar[t] - 1.0;
        }
        let n_free = (0..active).filter(|&t| self.status[t] == Status::Free).count();
        if n_free * l > 2 * active * (l - active) {
            // per inactive variable, a column over the active set
            for i in active..l {
                Self::fill_q(self.src, &self.kid, &self.y, i, 0, active, &mut self.qtmp);
                let mut g = self.g[i];
                for t in 0..active {
                    if self.status[t] == Status::Free {
                        g += self.alpha[t] * f64::from(self.qtmp[t]);
                    }
                }
                self.g[i] = g;
            }
        } else {
            // per free variable, a column over the inactive set (same sums, same order)
            for i in 0..active {
                if self.status[i] == Status::Free {
                    Self::fill_q(self.src, &self.kid, &self.y, i, active, l, &mut self.qtmp);
                    let a = self.alpha[i];
                    for t in active..l {
                        self.g[t] += a * f64::from(self.qtmp[t]);
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
            let yg = f64::from(self.y[t]) * self.g[t];
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
