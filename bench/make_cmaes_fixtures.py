"""Reference values for tunekit's CMA-ES core, from the `cmaes` package.

Writes reference/cmaes_reference.json:
- "strategy": the strategy parameters (weights, mu_eff, c1, cmu, cc, c_sigma,
  d_sigma, chi_n, funhist_term) of cmaes.CMA and cmaes.SepCMA for several (n, λ);
- "runs": a few generations of cmaes.CMA, cmaes.SepCMA and cmaes.CMAwM in the
  unit cube: the solutions told (raw x, value) and the state after each tell
  (mean, sigma, covariance, evolution paths; CMAwM's A);
- "warm_start": cmaes.get_warm_start_mgd on fixed source solutions;
- "budgets": evaluations each package optimiser needed to reach f < 1e-8 on the
  unit-cube test functions of crates/tunekit-core/tests/cmaes_invariants.rs
  (same definitions below), over 15 seeds, with Optuna's settings
  (mean 0.5, sigma 1/6, bounds [0, 1], n_max_resampling = 10 n).

Run: bench/.venv/bin/python bench/make_cmaes_fixtures.py
"""
import json
import math

import cmaes
import numpy as np
from cmaes import CMA, CMAwM, SepCMA, get_warm_start_mgd

OUT = "reference/cmaes_reference.json"


def target(n):
    return np.array([0.3 + 0.4 * i / (n - 1) for i in range(n)])


def householder(n):
    """R = H2 H1 with H = I - 2 v v^T / |v|^2, v1_i = sin(i + 1), v2_i = cos(2 i + 1)."""
    r = np.eye(n)
    for v in (np.array([math.sin(i + 1) for i in range(n)]), np.array([math.cos(2 * i + 1) for i in range(n)])):
        h = np.eye(n) - 2 * np.outer(v, v) / v.dot(v)
        r = h @ r
    return r


def sphere(u):
    n = len(u)
    z = 10 * (u - target(n))
    return float(z.dot(z))


def ellipsoid(u, rotate):
    n = len(u)
    z = 10 * (u - target(n))
    if rotate:
        z = householder(n) @ z
    w = np.array([10 ** (6 * i / (n - 1)) for i in range(n)])
    return float((w * z * z).sum())


def strategy(opt, sep):
    d = {
        "n": opt.dim,
        "lambda": opt.population_size,
        "weights": list(map(float, opt._weights)),
        "mu_eff": float(opt._mu_eff),
        "c1": float(opt._c1),
        "cmu": float(opt._cmu),
        "cc": float(opt._cc),
        "c_sigma": float(opt._c_sigma),
        "d_sigma": float(opt._d_sigma),
        "chi_n": float(opt._chi_n),
        "funhist_term": int(opt._funhist_term),
        "separable": sep,
    }
    return d


def state(opt):
    inner = opt._cma if isinstance(opt, CMAwM) else opt
    out = {
        "mean": list(map(float, inner._mean)),
        "sigma": float(inner._sigma),
        "cov": list(map(float, np.asarray(inner._C).ravel())),
        "pc": list(map(float, inner._pc)),
        "p_sigma": list(map(float, inner._p_sigma)),
    }
    if isinstance(opt, CMAwM):
        out["A"] = list(map(float, opt._A))
    return out


def run(kind, n, popsize, gens, seed, f):
    bounds = np.array([[0.0, 1.0]] * n)
    mean = np.full(n, 0.5)
    if kind == "full":
        opt = CMA(mean=mean, sigma=1 / 6, bounds=bounds, seed=seed, population_size=popsize, n_max_resampling=10 * n)
    elif kind == "sep":
        opt = SepCMA(mean=mean, sigma=1 / 6, bounds=bounds, seed=seed, population_size=popsize, n_max_resampling=10 * n)
    else:
        # the last half of the coordinates are integers with 4 levels
        steps = np.array([0.0] * (n - n // 2) + [1 / 3] * (n // 2))
        opt = CMAwM(mean=mean, sigma=1 / 6, bounds=bounds, steps=steps, seed=seed, population_size=popsize, n_max_resampling=10 * n)
    out = {"kind": kind, "n": n, "popsize": opt.population_size, "mean0": [0.5] * n, "sigma0": 1 / 6, "generations": []}
    if kind == "margin":
        out["levels"] = [0] * (n - n // 2) + [4] * (n // 2)
    for _ in range(gens):
        sols = []
        for _ in range(opt.population_size):
            if kind == "margin":
                enc, x = opt.ask()
                sols.append((x, f(enc)))
            else:
                x = opt.ask()
                sols.append((x, f(x)))
        told = [(list(map(float, x)), v) for x, v in sols]
        opt.tell(sols)
        out["generations"].append({"xs": [x for x, _ in told], "values": [v for _, v in told], "after": state(opt)})
    return out


def budget(make, f, n, max_evals):
    evals = 0
    opt = make()
    while evals < max_evals:
        sols = []
        best = math.inf
        for _ in range(opt.population_size):
            x = opt.ask()
            v = f(x)
            best = min(best, v)
            sols.append((x, v))
        evals += len(sols)
        if best < 1e-8:
            return evals
        opt.tell(sols)
    return None


def main():
    ref = {"versions": {"cmaes": cmaes.__version__, "numpy": np.__version__}}
    b = lambda n: np.array([[0.0, 1.0]] * n)
    ref["strategy"] = [
        strategy(CMA(mean=np.full(n, 0.5), sigma=0.2, population_size=p), False) for n, p in [(2, None), (10, None), (10, 7), (40, None), (5, 40)]
    ] + [strategy(SepCMA(mean=np.full(n, 0.5), sigma=0.2, population_size=p), True) for n, p in [(2, None), (10, None), (40, None)]]
    ref["runs"] = [
        run("full", 4, None, 6, 1, lambda x: ellipsoid(np.asarray(x), True)),
        run("sep", 5, None, 6, 2, lambda x: ellipsoid(np.asarray(x), False)),
        run("margin", 6, None, 8, 3, lambda x: sphere(np.asarray(x))),
    ]
    rng = np.random.RandomState(0)
    pts = rng.rand(40, 3)
    vals = [float(((p - np.array([0.2, 0.7, 0.5])) ** 2).sum()) for p in pts]
    mean, sigma, cov = get_warm_start_mgd([(p, v) for p, v in zip(pts, vals)])
    ref["warm_start"] = {
        "points": [list(map(float, p)) for p in pts],
        "values": vals,
        "mean": list(map(float, mean)),
        "sigma": float(sigma),
        "cov": list(map(float, cov.ravel())),
    }
    budgets = {}
    seeds = range(1, 16)
    cases = {
        "sphere10": (10, lambda x: sphere(x), lambda s: CMA(mean=np.full(10, 0.5), sigma=1 / 6, bounds=b(10), seed=s, n_max_resampling=100), 20000),
        "rotated_ellipsoid10": (10, lambda x: ellipsoid(x, True), lambda s: CMA(mean=np.full(10, 0.5), sigma=1 / 6, bounds=b(10), seed=s, n_max_resampling=100), 40000),
        "sep_ellipsoid40": (40, lambda x: ellipsoid(x, False), lambda s: SepCMA(mean=np.full(40, 0.5), sigma=1 / 6, bounds=b(40), seed=s, n_max_resampling=400), 200000),
    }
    for name, (n, f, make, cap) in cases.items():
        evals = [budget(lambda: make(s), f, n, cap) for s in seeds]
        budgets[name] = {"evals": evals, "median": float(np.median([e for e in evals if e is not None]))}
        print(name, budgets[name])
    ref["budgets"] = budgets
    with open(OUT, "w") as fh:
        json.dump(ref, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
