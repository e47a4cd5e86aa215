"""Test functions for the optimiser benchmarks (Python side).

The same functions, written the same way, live in `bench/functions.mjs`;
`bench/peers/check_functions.py` checks that both give the same values (to
1e-12 relative) on the same random points. To keep the two bit-for-bit close,
both sides use plain loops in the same order, `x * x` rather than `x ** 2`, and
only `sqrt`, `exp`, `sin` and `cos` from the maths library (sqrt is exact in
both; the others may differ by an ulp between glibc and V8).

Every function is to be minimised and takes a sequence of floats.

FUNCTIONS maps a name to a dict:
    dim      number of variables
    bounds   list of (lo, hi) per variable
    f        callable(x) -> float (single objective) or [f1, f2] (ZDT)
    optimum  the global minimum value (single objective), None for ZDT
    n_obj    1, or 2 for the ZDT problems
    hv_opt   (ZDT only) hypervolume of the true Pareto front w.r.t. (1.1, 1.1)

Optimum values (more digits than the usual tables, so that regrets are never
negative):
    branin            5 / (4 pi) = 0.39788735772973816 (exact)
    hartmann6         -3.3223680114155147 at (0.20169, 0.150011, 0.476874,
                      0.275332, 0.311652, 0.6573), refined with L-BFGS-B
    ackley5           0 at the origin
    rosenbrock4       0 at (1, 1, 1, 1)
    levy6             0 at (1, ..., 1)
    styblinski_tang4  4 * -39.16616570377142 = -156.66466281508568 at
                      x_i = -2.903534027771178 (the familiar "-39.16599 d" is
                      a rounded bound and lies above the true minimum)
    sphere            0 at the origin
"""
import math

PI = math.pi
E = math.e


# --------------------------------------------------------------------------
# Single objective
# --------------------------------------------------------------------------

def branin(x):
    """Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 5/(4 pi)."""
    x1, x2 = x[0], x[1]
    b = 5.1 / (4.0 * PI * PI)
    c = 5.0 / PI
    t = 1.0 / (8.0 * PI)
    u = x2 - b * x1 * x1 + c * x1 - 6.0
    return u * u + 10.0 * (1.0 - t) * math.cos(x1) + 10.0


# Hartmann 6-D constants (Surjanovic & Bingham, "Virtual Library of Simulation
# Experiments"); P is given there times 1e4.
HARTMANN6_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN6_A = [
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
]
HARTMANN6_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(x):
    """Hartmann 6-D on [0, 1]^6; one global minimum of -3.32237."""
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - HARTMANN6_P[i][j]
            inner += HARTMANN6_A[i][j] * d * d
        total += HARTMANN6_ALPHA[i] * math.exp(-inner)
    return -total


def ackley(x):
    """Ackley (a=20, b=0.2, c=2 pi), any dimension; minimum 0 at the origin."""
    n = len(x)
    sum_sq = 0.0
    sum_cos = 0.0
    for xi in x:
        sum_sq += xi * xi
        sum_cos += math.cos(2.0 * PI * xi)
    return -20.0 * math.exp(-0.2 * math.sqrt(sum_sq / n)) - math.exp(sum_cos / n) + 20.0 + E


def rosenbrock(x):
    """Rosenbrock, any dimension >= 2; minimum 0 at (1, ..., 1)."""
    total = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = x[i] - 1.0
        total += 100.0 * a * a + b * b
    return total


def levy(x):
    """Levy, any dimension; minimum 0 at (1, ..., 1)."""
    n = len(x)
    w = [1.0 + (xi - 1.0) / 4.0 for xi in x]
    s = math.sin(PI * w[0])
    total = s * s
    for i in range(n - 1):
        s = math.sin(PI * w[i] + 1.0)
        d = w[i] - 1.0
        total += d * d * (1.0 + 10.0 * s * s)
    s = math.sin(2.0 * PI * w[n - 1])
    d = w[n - 1] - 1.0
    total += d * d * (1.0 + s * s)
    return total


def styblinski_tang(x):
    """Styblinski-Tang, any dimension; minimum -39.16616570377142 per variable."""
    total = 0.0
    for xi in x:
        x2 = xi * xi
        total += x2 * x2 - 16.0 * x2 + 5.0 * xi
    return 0.5 * total


def sphere(x):
    """Sum of squares, any dimension; minimum 0 at the origin."""
    total = 0.0
    for xi in x:
        total += xi * xi
    return total


# --------------------------------------------------------------------------
# Two objectives: ZDT1-3 (Zitzler, Deb & Thiele 2000), n variables in [0, 1]
# --------------------------------------------------------------------------

def _zdt_g(x):
    s = 0.0
    for i in range(1, len(x)):
        s += x[i]
    return 1.0 + 9.0 * s / (len(x) - 1)


def zdt1(x):
    """ZDT1: convex front f2 = 1 - sqrt(f1)."""
    f1 = x[0]
    g = _zdt_g(x)
    return [f1, g * (1.0 - math.sqrt(f1 / g))]


def zdt2(x):
    """ZDT2: concave front f2 = 1 - f1^2."""
    f1 = x[0]
    g = _zdt_g(x)
    r = f1 / g
    return [f1, g * (1.0 - r * r)]


def zdt3(x):
    """ZDT3: disconnected front."""
    f1 = x[0]
    g = _zdt_g(x)
    r = f1 / g
    return [f1, g * (1.0 - math.sqrt(r) - r * math.sin(10.0 * PI * f1))]


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

def _single(dim, lo, hi, f, optimum):
    return {"dim": dim, "bounds": [(lo, hi)] * dim, "f": f, "optimum": optimum, "n_obj": 1}


def _zdt(f, hv_opt, dim=30):
    return {"dim": dim, "bounds": [(0.0, 1.0)] * dim, "f": f, "optimum": None, "n_obj": 2, "hv_opt": hv_opt}


def make_sphere(dim, lo=-5.0, hi=5.0):
    """A sphere of any dimension and box (FUNCTIONS["sphere"] is 30-D on [-5, 5])."""
    return _single(dim, lo, hi, sphere, 0.0)


# Hypervolume of the true ZDT fronts w.r.t. (1.1, 1.1):
#   ZDT1: 0.1 + 2/3 + 0.11 = 0.87666...   ZDT2: 0.1 + 1/3 + 0.11 = 0.54333...
#   ZDT3: 1.331762, numerical: the exact 2-D hypervolume of the non-dominated
#         part of f2 = 1 - sqrt(f1) - f1 sin(10 pi f1) sampled at 10^6 evenly
#         spaced f1 (1.33176202; pymoo's 10^5-point front gives 1.3317605).
FUNCTIONS = {
    "branin": {"dim": 2, "bounds": [(-5.0, 10.0), (0.0, 15.0)], "f": branin,
               "optimum": 5.0 / (4.0 * PI), "n_obj": 1},
    "hartmann6": _single(6, 0.0, 1.0, hartmann6, -3.3223680114155147),
    "ackley5": _single(5, -32.768, 32.768, ackley, 0.0),
    "rosenbrock4": _single(4, -5.0, 10.0, rosenbrock, 0.0),
    "levy6": _single(6, -10.0, 10.0, levy, 0.0),
    "styblinski_tang4": _single(4, -5.0, 5.0, styblinski_tang, 4 * -39.16616570377142),
    "sphere": make_sphere(30),
    "zdt1": _zdt(zdt1, 0.1 + 2.0 / 3.0 + 0.11),
    "zdt2": _zdt(zdt2, 0.1 + 1.0 / 3.0 + 0.11),
    "zdt3": _zdt(zdt3, 1.331762),
}

# The six functions of the Bayesian-optimisation and single-objective GA runs.
BO_FUNCTIONS = ["branin", "hartmann6", "ackley5", "rosenbrock4", "levy6", "styblinski_tang4"]
ZDT_FUNCTIONS = ["zdt1", "zdt2", "zdt3"]
