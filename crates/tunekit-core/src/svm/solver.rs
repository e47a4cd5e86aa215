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
use crate::isa::{wide, Isa};

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
    /// `up` and `low` as additive masks, 0 inside and NaN outside, which lets the
    /// selection loops run without branches (NaN never wins a comparison)
    up_mask: Vec<f64>,
    low_mask: Vec<f64>,
    c: Vec<f64>,
    qd: Vec<f64>,
    orig: Vec<usize>,
    eps: f64,
    unshrunk: bool,
    /// `(max F over I_up, its last index)` computed by the last update, while no
    /// shrinking or reconstruction has happened since
    next_i: Option<(f64, Option<usize>)>,
    /// which build of the selection loops runs (the results are the same)
    isa: Isa,
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
        up_mask: vec![f64::NAN; l],
        low_mask: vec![f64::NAN; l],
        c: problem.c.to_vec(),
        qd,
        orig: (0..l).collect(),
        eps: problem.eps,
        unshrunk: false,
        next_i: None,
        isa: Isa::detect(),
    };
    for t in 0..l {
        s.update_status(t);
    }
    s.run(problem.shrinking, problem.max_iter, problem.y)
}

impl<Q: QRows> Smo<'_, Q> {
    #[inline(always)]
    fn update_status(&mut self, t: usize) {
        (self.status[t], self.up[t], self.low[t]) = classify(self.alpha[t], self.c[t], self.y[t]);
        self.up_mask[t] = mask(self.up[t]);
        self.low_mask[t] = mask(self.low[t]);
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
                    self.next_i = None;
                }
            }
            let (i, j) = match self.select_working_set() {
                Some(pair) => pair,
                None => {
                    self.reconstruct_gradient();
                    self.active = l;
                    self.next_i = None;
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
        Solution {
            coef,
            rho,
            iterations: iter,
            converged,
        }
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

        let was_upper_i = self.status[i] == Status::Upper;
        let was_upper_j = self.status[j] == Status::Upper;
        (self.status[i], self.up[i], self.low[i]) = classify(ai, c_i, self.y[i]);
        (self.status[j], self.up[j], self.low[j]) = classify(aj, c_j, self.y[j]);
        for t in [i, j] {
            self.up_mask[t] = mask(self.up[t]);
            self.low_mask[t] = mask(self.low[t]);
        }

        // ∇f_k += Q_ik Δα_i + Q_jk Δα_j  ⇔  F_k −= K_ik y_iΔα_i + K_jk y_jΔα_j
        let ydi = yi * (ai - old_ai);
        let ydj = yj * (aj - old_aj);
        // fused with the next working-set selection's first loop (max F over I_up)
        self.next_i = Some(update_and_arg_max(
            self.isa,
            &mut self.f[..active],
            &ki[..active],
            &kj[..active],
            &self.up_mask[..active],
            ydi,
            ydj,
        ));

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
        let (f, up_mask, low, low_mask, qd) = (
            &self.f[..active],
            &self.up_mask[..active],
            &self.low[..active],
            &self.low_mask[..active],
            &self.qd[..active],
        );
        // i: max of −y∇f over I_up (last one on ties)
        let (gmax, gmax_idx) = match self.next_i.take() {
            Some(cached) => cached,
            None => arg_max_last(self.isa, f, up_mask),
        };
        let (gmax2, gmin_idx) = match gmax_idx {
            Some(i) => {
                let ki = self.q.row(i, 0, active);
                second_choice(self.isa, f, low_mask, qd, &ki[..active], gmax, qd[i])
            }
            None => (max_neg(f, low), None),
        };
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
        self.up_mask.swap(a, b);
        self.low_mask.swap(a, b);
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
        let n_free = (0..active)
            .filter(|&t| self.status[t] == Status::Free)
            .count();
        // ∇f_t += α_s Q_st  ⇔  F_t −= (y_s α_s) K_st, summed over free s in position order
        if n_free * l > 2 * active * (l - active) {
            for i in active..l {
                let ki = self.q.row(i, 0, active);
                let mut f = self.f[i];
                for (((&st, &y), &a), &k) in self.status[..active]
                    .iter()
                    .zip(&self.y)
                    .zip(&self.alpha)
                    .zip(ki)
                {
                    if st == Status::Free {
                        f -= (f64::from(y) * a) * f64::from(k);
                    }
                }
                self.f[i] = f;
            }
        } else {
            for i in 0..active {
                if self.status[i] == Status::Free {
                    let ya = f64::from(self.y[i]) * self.alpha[i];
                    let ki = self.q.row(i, active, l);
                    for (f, &k) in self.f[active..l].iter_mut().zip(&ki[active..l]) {
                        *f -= ya * f64::from(k);
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

/// 0 for a member, NaN otherwise (see `Smo::up_mask`).
#[inline(always)]
fn mask(member: bool) -> f64 {
    if member {
        0.0
    } else {
        f64::NAN
    }
}

/// Bound status of α_t and its membership of `I_up` and `I_low`.
#[inline(always)]
fn classify(alpha: f64, c: f64, y: i8) -> (Status, bool, bool) {
    let st = if alpha >= c {
        Status::Upper
    } else if alpha <= 0.0 {
        Status::Lower
    } else {
        Status::Free
    };
    let pos = y == 1;
    let up = if pos {
        st != Status::Upper
    } else {
        st != Status::Lower
    };
    let low = if pos {
        st != Status::Lower
    } else {
        st != Status::Upper
    };
    (st, up, low)
}

/// Lanes of the selection loops: each lane keeps its own running best (of the
/// positions `t ≡ lane mod LANES`, then the remainder), which breaks the loops'
/// compare-and-select dependency chain and lets them vectorise; merging the
/// lanes (best value, then largest index) gives exactly the sequential loop's
/// answer with `≥` / `≤` from ±∞: the last position holding the best value
/// (NaN never wins a comparison, and ±0 compare equal in both).
const LANES: usize = 8;

/// Per-lane running "last maximum" (or "last minimum") and its position.
struct LastBest {
    value: [f64; LANES],
    index: [usize; LANES],
}

impl LastBest {
    #[inline(always)]
    fn new(start: f64) -> Self {
        Self {
            value: [start; LANES],
            index: [usize::MAX; LANES],
        }
    }

    /// `if v >= best { best = v; index = t }` in `lane`.
    #[inline(always)]
    fn max(&mut self, lane: usize, v: f64, t: usize) {
        let take = v >= self.value[lane];
        self.value[lane] = if take { v } else { self.value[lane] };
        self.index[lane] = if take { t } else { self.index[lane] };
    }

    /// `if v <= best { best = v; index = t }` in `lane`.
    #[inline(always)]
    fn min(&mut self, lane: usize, v: f64, t: usize) {
        let take = v <= self.value[lane];
        self.value[lane] = if take { v } else { self.value[lane] };
        self.index[lane] = if take { t } else { self.index[lane] };
    }

    /// The lanes merged: `better(a, b)` is "a strictly better than b"; equal
    /// values go to the largest position. `start` and `None` when no lane took any.
    #[inline(always)]
    fn merge(&self, start: f64, better: impl Fn(f64, f64) -> bool) -> (f64, Option<usize>) {
        let mut out = (start, None::<usize>);
        for (&v, &t) in self.value.iter().zip(&self.index) {
            if t == usize::MAX {
                continue;
            }
            let take = match out.1 {
                None => true,
                Some(o) => better(v, out.0) || (v == out.0 && t > o),
            };
            if take {
                out = (v, Some(t));
            }
        }
        out
    }
}

wide! {
    /// `(max, last index of the max)` of `f[t] + mask[t]` (mask 0 or NaN), as the
    /// sequential loop `if f[t] + mask[t] >= best { best = …; idx = t }` from −∞.
    fn arg_max_last(f: &[f64], mask: &[f64]) -> (f64, Option<usize>) {
        let mut best = LastBest::new(f64::NEG_INFINITY);
        let (fc, fr) = f.as_chunks::<LANES>();
        let (mc, mr) = mask.as_chunks::<LANES>();
        for (c, (fv, mv)) in fc.iter().zip(mc).enumerate() {
            for lane in 0..LANES {
                best.max(lane, fv[lane] + mv[lane], c * LANES + lane);
            }
        }
        let base = fc.len() * LANES;
        for (lane, (&ft, &m)) in fr.iter().zip(mr).enumerate() {
            best.max(lane, ft + m, base + lane);
        }
        best.merge(f64::NEG_INFINITY, |a, b| a > b)
    }
}

wide! {
    /// The gradient update `F_t −= K_it·ydi + K_jt·ydj` fused with
    /// [`arg_max_last`] of the updated `F` over `up_mask`.
    fn update_and_arg_max(
        f: &mut [f64],
        ki: &[f32],
        kj: &[f32],
        up_mask: &[f64],
        ydi: f64,
        ydj: f64,
    ) -> (f64, Option<usize>) {
        let mut best = LastBest::new(f64::NEG_INFINITY);
        let (fc, fr) = f.as_chunks_mut::<LANES>();
        let (ic, ir) = ki.as_chunks::<LANES>();
        let (jc, jr) = kj.as_chunks::<LANES>();
        let (mc, mr) = up_mask.as_chunks::<LANES>();
        let base = fc.len() * LANES;
        for (c, (((fv, iv), jv), mv)) in fc.iter_mut().zip(ic).zip(jc).zip(mc).enumerate() {
            for lane in 0..LANES {
                fv[lane] -= f64::from(iv[lane]) * ydi + f64::from(jv[lane]) * ydj;
                best.max(lane, fv[lane] + mv[lane], c * LANES + lane);
            }
        }
        for (lane, (((ft, &a), &b), &m)) in fr.iter_mut().zip(ir).zip(jr).zip(mr).enumerate() {
            *ft -= f64::from(a) * ydi + f64::from(b) * ydj;
            best.max(lane, *ft + m, base + lane);
        }
        best.merge(f64::NEG_INFINITY, |a, b| a > b)
    }
}

/// `max −f[t]` over `mask[t]` (−∞ if none).
fn max_neg(f: &[f64], mask: &[bool]) -> f64 {
    let mut m = f64::NEG_INFINITY;
    for (&v, &k) in f.iter().zip(mask) {
        if k && -v >= m {
            m = -v;
        }
    }
    m
}

wide! {
    /// Second-order choice of `j` (LIBSVM's loop over `I_low`): returns
    /// `(max −F over I_low, j)` where `j` minimises `−(gmax − F_t)²/a_t` over the
    /// `t ∈ I_low` with `gmax − F_t > 0`, last one on ties. One pass without
    /// unpredictable branches: adding the NaN mask leaves the entries outside
    /// `I_low` out (adding 0.0 keeps a value, up to the sign of a zero, which
    /// compares equal).
    fn second_choice(
        f: &[f64],
        low_mask: &[f64],
        qd: &[f64],
        ki: &[f32],
        gmax: f64,
        qd_i: f64,
    ) -> (f64, Option<usize>) {
        #[inline(always)]
        fn objective(ft: f64, m: f64, qt: f64, k: f32, gmax: f64, qd_i: f64) -> f64 {
            let grad_diff = gmax - ft;
            let quad = qd_i + qt - 2.0 * f64::from(k);
            let denom = if quad > 0.0 { quad } else { TAU };
            let obj = -(grad_diff * grad_diff) / denom + m;
            if grad_diff > 0.0 {
                obj
            } else {
                f64::NAN
            }
        }
        let mut gmax2 = [f64::NEG_INFINITY; LANES];
        let mut best = LastBest::new(f64::INFINITY);
        let (fc, fr) = f.as_chunks::<LANES>();
        let (mc, mr) = low_mask.as_chunks::<LANES>();
        let (qc, qr) = qd.as_chunks::<LANES>();
        let (kc, kr) = ki.as_chunks::<LANES>();
        for (c, (((fv, mv), qv), kv)) in fc.iter().zip(mc).zip(qc).zip(kc).enumerate() {
            for lane in 0..LANES {
                let neg = -fv[lane] + mv[lane];
                gmax2[lane] = if neg > gmax2[lane] { neg } else { gmax2[lane] };
                let obj = objective(fv[lane], mv[lane], qv[lane], kv[lane], gmax, qd_i);
                best.min(lane, obj, c * LANES + lane);
            }
        }
        let base = fc.len() * LANES;
        for (lane, (((&ft, &m), &qt), &k)) in fr.iter().zip(mr).zip(qr).zip(kr).enumerate() {
            let neg = -ft + m;
            gmax2[lane] = if neg > gmax2[lane] { neg } else { gmax2[lane] };
            best.min(lane, objective(ft, m, qt, k, gmax, qd_i), base + lane);
        }
        // a max of values: the order only decides the sign of a zero result, which
        // the stopping test (`gmax + gmax2 < eps`) cannot tell apart
        let mut g = f64::NEG_INFINITY;
        for v in gmax2 {
            g = if v > g { v } else { g };
        }
        (g, best.merge(f64::INFINITY, |a, b| a < b).1)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::data::Matrix;
    use crate::svm::gram::KernelMatrix;
    use crate::svm::kernel::KernelSpec;
    use crate::svm::kernel_cache::DenseRows;
    use crate::svm::params::Kernel;
    use crate::svm::q_matrix::LocalQ;
    use rand_mt::Mt64;

    fn uniform(rng: &mut Mt64) -> f64 {
        (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Checks the solution against the KKT conditions LIBSVM's stopping rule
    /// guarantees: `max_{I_up} −y∇f − min_{I_low} −y∇f < eps`, ρ between them.
    fn check_kkt(kind: Kernel, c_pos: f64, c_neg: f64, shrinking: bool, seed: u64) {
        let mut rng = Mt64::new(seed);
        let (l, d) = (60, 3);
        let mut vals = Vec::new();
        let mut y = Vec::new();
        for t in 0..l {
            let label: i8 = if t % 3 == 0 { -1 } else { 1 };
            for _ in 0..d {
                vals.push(uniform(&mut rng) * 2.0 - 1.0 + 0.4 * f64::from(label));
            }
            y.push(label);
        }
        let x = Matrix::new(vals, l, d).unwrap();
        let spec = KernelSpec {
            kind,
            gamma: 0.5,
            degree: 3,
            coef0: 1.0,
        };
        let km = KernelMatrix::from_data(&x, &spec);
        let kids: Vec<u32> = (0..l as u32).collect();
        let c: Vec<f64> = y
            .iter()
            .map(|&v| if v == 1 { c_pos } else { c_neg })
            .collect();
        let eps = 1e-3;
        let problem = Problem {
            y: &y,
            c: &c,
            eps,
            shrinking,
            max_iter: 10_000_000,
        };
        let sol = solve(
            &problem,
            &mut LocalQ::new(&mut DenseRows { matrix: &km }, &kids),
        );
        assert!(sol.converged);
        assert!(sol.iterations > 0);

        let alpha: Vec<f64> = sol
            .coef
            .iter()
            .zip(&y)
            .map(|(a, &v)| a * f64::from(v))
            .collect();
        let mut sum_y_alpha = 0.0;
        for t in 0..l {
            assert!(
                alpha[t] >= 0.0 && alpha[t] <= c[t],
                "alpha[{t}] = {} outside [0, {}]",
                alpha[t],
                c[t]
            );
            sum_y_alpha += sol.coef[t];
        }
        assert!(
            sum_y_alpha.abs() < 1e-9 * c_pos.max(c_neg) * l as f64,
            "yᵀα = {sum_y_alpha}"
        );

        // −y_t ∇f_t = y_t − Σ_s y_s α_s K_st
        let minus_yg: Vec<f64> = (0..l)
            .map(|t| {
                let row = km.row(t);
                f64::from(y[t]) - (0..l).map(|s| sol.coef[s] * f64::from(row[s])).sum::<f64>()
            })
            .collect();
        let mut m_up = f64::NEG_INFINITY;
        let mut m_low = f64::INFINITY;
        let mut n_free = 0;
        for t in 0..l {
            let (_, up, low) = classify(alpha[t], c[t], y[t]);
            if up {
                m_up = m_up.max(minus_yg[t]);
            }
            if low {
                m_low = m_low.min(minus_yg[t]);
            }
            if alpha[t] > 0.0 && alpha[t] < c[t] {
                n_free += 1;
            }
        }
        // the solver's own gradient is accumulated in another order: allow rounding
        let slack = 1e-9 * l as f64 * c_pos.max(c_neg);
        assert!(
            m_up - m_low < eps + slack,
            "{kind:?}: gap {} >= eps",
            m_up - m_low
        );
        // decision values: f(x_t) = Σ coef_s K_st − ρ = y_t − (−y∇f)_t − ρ;
        // ρ is a mean of y∇f over free variables (or a midpoint): −ρ lies in the stopping interval
        assert!(
            -sol.rho >= m_low - eps - slack && -sol.rho <= m_up + eps + slack,
            "-rho {} not in [{m_low}, {m_up}]",
            -sol.rho
        );
        if n_free > 0 {
            for t in 0..l {
                let margin = f64::from(y[t]) * (f64::from(y[t]) - minus_yg[t] - sol.rho);
                if alpha[t] == 0.0 {
                    assert!(
                        margin >= 1.0 - 2.0 * eps - slack,
                        "{kind:?} t={t}: margin {margin} for α = 0"
                    );
                } else if alpha[t] >= c[t] {
                    assert!(
                        margin <= 1.0 + 2.0 * eps + slack,
                        "{kind:?} t={t}: margin {margin} for α = C"
                    );
                } else {
                    assert!(
                        (margin - 1.0).abs() <= 2.0 * eps + slack,
                        "{kind:?} t={t}: margin {margin} for free α"
                    );
                }
            }
        }
    }

    #[test]
    fn kkt_conditions_hold_at_the_solution() {
        for (seed, kind) in [
            (1, Kernel::Rbf),
            (2, Kernel::Linear),
            (3, Kernel::Poly),
            (4, Kernel::Rbf),
        ] {
            for shrinking in [true, false] {
                check_kkt(kind, 1.0, 1.0, shrinking, seed);
                check_kkt(kind, 10.0, 2.5, shrinking, seed);
            }
        }
    }

    #[test]
    fn shrinking_does_not_change_the_solution_much() {
        // the same problem with and without shrinking: both meet the tolerance,
        // and their decision values agree to within it
        let mut rng = Mt64::new(7);
        let (l, d) = (80, 2);
        let vals: Vec<f64> = (0..l * d).map(|_| uniform(&mut rng)).collect();
        let y: Vec<i8> = (0..l)
            .map(|t| {
                if vals[t * d] + vals[t * d + 1] > 1.0 {
                    1
                } else {
                    -1
                }
            })
            .collect();
        let x = Matrix::new(vals, l, d).unwrap();
        let km = KernelMatrix::from_data(
            &x,
            &KernelSpec {
                kind: Kernel::Rbf,
                gamma: 2.0,
                degree: 3,
                coef0: 0.0,
            },
        );
        let kids: Vec<u32> = (0..l as u32).collect();
        let c = vec![5.0; l];
        let mut out = Vec::new();
        for shrinking in [true, false] {
            let problem = Problem {
                y: &y,
                c: &c,
                eps: 1e-6,
                shrinking,
                max_iter: 10_000_000,
            };
            out.push(solve(
                &problem,
                &mut LocalQ::new(&mut DenseRows { matrix: &km }, &kids),
            ));
        }
        for t in 0..l {
            let dec = |s: &Solution| {
                (0..l)
                    .map(|u| s.coef[u] * f64::from(km.row(t)[u]))
                    .sum::<f64>()
                    - s.rho
            };
            assert!((dec(&out[0]) - dec(&out[1])).abs() < 1e-3, "t={t}");
        }
    }

    #[test]
    fn iteration_cap_reports_non_convergence() {
        let y: Vec<i8> = vec![1, 1, -1, -1, 1, -1];
        let vals = vec![0.0, 0.1, 1.0, 1.1, 0.2, 0.9];
        let x = Matrix::new(vals, 6, 1).unwrap();
        let km = KernelMatrix::from_data(
            &x,
            &KernelSpec {
                kind: Kernel::Linear,
                gamma: 1.0,
                degree: 3,
                coef0: 0.0,
            },
        );
        let kids: Vec<u32> = (0..6).collect();
        let c = vec![100.0; 6];
        let problem = Problem {
            y: &y,
            c: &c,
            eps: 1e-3,
            shrinking: true,
            max_iter: 1,
        };
        let sol = solve(
            &problem,
            &mut LocalQ::new(&mut DenseRows { matrix: &km }, &kids),
        );
        assert_eq!(sol.iterations, 1);
        assert!(!sol.converged);
    }

    /// The AVX2 build of the selection loops gives the baseline build's
    /// answers bit for bit (values, ties, NaN masks, signed zeros, lengths
    /// around the lane count). Without AVX2 both calls run the baseline.
    #[test]
    fn avx2_loops_match_the_baseline_bit_for_bit() {
        let (base, wide) = (Isa::baseline(), Isa::detect());
        let bits = |(v, i): (f64, Option<usize>)| (v.to_bits(), i);
        let mut rng = Mt64::new(11);
        for case in 0..400 {
            let n = case % 37 + 1;
            // a few distinct values so that ties are common
            let pick = |rng: &mut Mt64, k: u64| (rng.next_u64() % k) as f64 / 4.0 - 1.0;
            let f: Vec<f64> = (0..n).map(|_| pick(&mut rng, 9)).collect();
            let masks: Vec<Vec<f64>> = (0..2)
                .map(|_| {
                    (0..n)
                        .map(|_| match rng.next_u64() % 4 {
                            0 => f64::NAN,
                            1 => -0.0,
                            _ => 0.0,
                        })
                        .collect()
                })
                .collect();
            let qd: Vec<f64> = (0..n).map(|_| 1.0 + pick(&mut rng, 5)).collect();
            let ki: Vec<f32> = (0..n).map(|_| pick(&mut rng, 7) as f32).collect();
            let kj: Vec<f32> = (0..n).map(|_| pick(&mut rng, 7) as f32).collect();
            let (gmax, qd_i) = (pick(&mut rng, 9), qd[0]);
            assert_eq!(
                bits(arg_max_last(base, &f, &masks[0])),
                bits(arg_max_last(wide, &f, &masks[0])),
                "arg_max_last, case {case}"
            );
            assert_eq!(
                bits(second_choice(base, &f, &masks[1], &qd, &ki, gmax, qd_i)),
                bits(second_choice(wide, &f, &masks[1], &qd, &ki, gmax, qd_i)),
                "second_choice, case {case}"
            );
            let (mut fa, mut fb) = (f.clone(), f.clone());
            let a = update_and_arg_max(base, &mut fa, &ki, &kj, &masks[0], 0.3, -0.7);
            let b = update_and_arg_max(wide, &mut fb, &ki, &kj, &masks[0], 0.3, -0.7);
            assert_eq!(bits(a), bits(b), "update_and_arg_max, case {case}");
            let to_bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(to_bits(&fa), to_bits(&fb), "updated F, case {case}");
        }
    }
}
