// Test functions for the optimiser benchmarks (JavaScript side).
//
// The same functions, written the same way, live in bench/peers/functions.py;
// `bench/.venv/bin/python bench/peers/check_functions.py` checks that both give
// the same values (to 1e-12 relative) on the same random points. To keep the
// two bit-for-bit close, both sides use plain loops in the same order, `x * x`
// rather than `x ** 2`, and only sqrt, exp, sin and cos from the maths library.
//
// Every function is to be minimised and takes an array of numbers.
//
// FUNCTIONS[name] = {
//   dim,       number of variables
//   bounds,    [[lo, hi], ...] per variable
//   f,         (x) => number, or (x) => [f1, f2] for the ZDT problems
//   optimum,   global minimum value (single objective), null for ZDT
//   nObj,      1, or 2 for ZDT
//   hvOpt,     (ZDT only) hypervolume of the true Pareto front w.r.t. [1.1, 1.1]
// }
//
// Optimum values are given with more digits than the usual tables (see
// functions.py for where they come from), so that regrets are never negative;
// e.g. Styblinski-Tang's minimum is -39.16616570377142 per variable, below the
// familiar rounded "-39.16599 d".

const PI = Math.PI;
const E = Math.E;

// ---------------------------------------------------------------- single objective

/** Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 5/(4 pi). */
export function branin(x) {
  const x1 = x[0];
  const x2 = x[1];
  const b = 5.1 / (4.0 * PI * PI);
  const c = 5.0 / PI;
  const t = 1.0 / (8.0 * PI);
  const u = x2 - b * x1 * x1 + c * x1 - 6.0;
  return u * u + 10.0 * (1.0 - t) * Math.cos(x1) + 10.0;
}

// Hartmann 6-D constants (Surjanovic & Bingham, Virtual Library of Simulation
// Experiments); P is given there times 1e4.
const HARTMANN6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN6_A = [
  [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
  [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
  [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
  [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
];
const HARTMANN6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

/** Hartmann 6-D on [0, 1]^6; one global minimum of -3.32237. */
export function hartmann6(x) {
  let total = 0.0;
  for (let i = 0; i < 4; i++) {
    let inner = 0.0;
    for (let j = 0; j < 6; j++) {
      const d = x[j] - HARTMANN6_P[i][j];
      inner += HARTMANN6_A[i][j] * d * d;
    }
    total += HARTMANN6_ALPHA[i] * Math.exp(-inner);
  }
  return -total;
}

/** Ackley (a=20, b=0.2, c=2 pi), any dimension; minimum 0 at the origin. */
export function ackley(x) {
  const n = x.length;
  let sumSq = 0.0;
  let sumCos = 0.0;
  for (const xi of x) {
    sumSq += xi * xi;
    sumCos += Math.cos(2.0 * PI * xi);
  }
  return -20.0 * Math.exp(-0.2 * Math.sqrt(sumSq / n)) - Math.exp(sumCos / n) + 20.0 + E;
}

/** Rosenbrock, any dimension >= 2; minimum 0 at (1, ..., 1). */
export function rosenbrock(x) {
  let total = 0.0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = x[i] - 1.0;
    total += 100.0 * a * a + b * b;
  }
  return total;
}

/** Levy, any dimension; minimum 0 at (1, ..., 1). */
export function levy(x) {
  const n = x.length;
  const w = x.map((xi) => 1.0 + (xi - 1.0) / 4.0);
  let s = Math.sin(PI * w[0]);
  let total = s * s;
  for (let i = 0; i < n - 1; i++) {
    s = Math.sin(PI * w[i] + 1.0);
    const d = w[i] - 1.0;
    total += d * d * (1.0 + 10.0 * s * s);
  }
  s = Math.sin(2.0 * PI * w[n - 1]);
  const d = w[n - 1] - 1.0;
  total += d * d * (1.0 + s * s);
  return total;
}

/** Styblinski-Tang, any dimension; minimum -39.16616570377142 per variable. */
export function styblinskiTang(x) {
  let total = 0.0;
  for (const xi of x) {
    const x2 = xi * xi;
    total += x2 * x2 - 16.0 * x2 + 5.0 * xi;
  }
  return 0.5 * total;
}

/** Sum of squares, any dimension; minimum 0 at the origin. */
export function sphere(x) {
  let total = 0.0;
  for (const xi of x) total += xi * xi;
  return total;
}

// ---------------------------------------------------------------- ZDT1-3 (two objectives)
// Zitzler, Deb & Thiele (2000); n variables in [0, 1].

function zdtG(x) {
  let s = 0.0;
  for (let i = 1; i < x.length; i++) s += x[i];
  return 1.0 + (9.0 * s) / (x.length - 1);
}

/** ZDT1: convex front f2 = 1 - sqrt(f1). */
export function zdt1(x) {
  const f1 = x[0];
  const g = zdtG(x);
  return [f1, g * (1.0 - Math.sqrt(f1 / g))];
}

/** ZDT2: concave front f2 = 1 - f1^2. */
export function zdt2(x) {
  const f1 = x[0];
  const g = zdtG(x);
  const r = f1 / g;
  return [f1, g * (1.0 - r * r)];
}

/** ZDT3: disconnected front. */
export function zdt3(x) {
  const f1 = x[0];
  const g = zdtG(x);
  const r = f1 / g;
  return [f1, g * (1.0 - Math.sqrt(r) - r * Math.sin(10.0 * PI * f1))];
}

// ---------------------------------------------------------------- registry

function single(dim, lo, hi, f, optimum) {
  return { dim, bounds: Array.from({ length: dim }, () => [lo, hi]), f, optimum, nObj: 1 };
}

function zdt(f, hvOpt, dim = 30) {
  return { dim, bounds: Array.from({ length: dim }, () => [0.0, 1.0]), f, optimum: null, nObj: 2, hvOpt };
}

/** A sphere of any dimension and box (FUNCTIONS.sphere is 30-D on [-5, 5]). */
export function makeSphere(dim, lo = -5.0, hi = 5.0) {
  return single(dim, lo, hi, sphere, 0.0);
}

// Hypervolume of the true ZDT fronts w.r.t. (1.1, 1.1): ZDT1 0.1 + 2/3 + 0.11,
// ZDT2 0.1 + 1/3 + 0.11, ZDT3 1.331762 (numerical, see functions.py).
export const FUNCTIONS = {
  branin: {
    dim: 2,
    bounds: [
      [-5.0, 10.0],
      [0.0, 15.0],
    ],
    f: branin,
    optimum: 5.0 / (4.0 * PI),
    nObj: 1,
  },
  hartmann6: single(6, 0.0, 1.0, hartmann6, -3.3223680114155147),
  ackley5: single(5, -32.768, 32.768, ackley, 0.0),
  rosenbrock4: single(4, -5.0, 10.0, rosenbrock, 0.0),
  levy6: single(6, -10.0, 10.0, levy, 0.0),
  styblinski_tang4: single(4, -5.0, 5.0, styblinskiTang, 4 * -39.16616570377142),
  sphere: makeSphere(30),
  zdt1: zdt(zdt1, 0.1 + 2.0 / 3.0 + 0.11),
  zdt2: zdt(zdt2, 0.1 + 1.0 / 3.0 + 0.11),
  zdt3: zdt(zdt3, 1.331762),
};

/** The six functions of the Bayesian-optimisation and single-objective GA runs. */
export const BO_FUNCTIONS = ['branin', 'hartmann6', 'ackley5', 'rosenbrock4', 'levy6', 'styblinski_tang4'];
export const ZDT_FUNCTIONS = ['zdt1', 'zdt2', 'zdt3'];
