"""Reference values for tunekit's TPE core, from Optuna's TPE (same history, same space).

Writes reference/tpe_reference.json:
- "parzen": Parzen estimators built by optuna.samplers._tpe.parzen_estimator._ParzenEstimator
  from observations (value form: numbers, categorical index) with Optuna's default
  parameters (prior weight 1, magic clip, no endpoints, default_weights), and their
  log densities at query points;
- "split": below/above splits of histories by optuna.samplers._tpe.sampler._split_trials
  (complete, pruned, running; one and two objectives) with gamma(n);
- "truncnorm": log Gaussian masses log(Φ(b) − Φ(a)) from Optuna's _truncnorm.

Run: bench/.venv/bin/python bench/make_tpe_fixtures.py
"""
import json
import math
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import _split_trials, default_gamma, default_gamma_multiobjective, default_weights
from optuna.trial import TrialState, create_trial

OUT = "reference/tpe_reference.json"
PARAMS = _ParzenEstimatorParameters(prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False,
                                    weights=default_weights, multivariate=True)


def spec(d):
    if isinstance(d, CategoricalDistribution):
        return {"type": "categorical", "n": len(d.choices)}
    if isinstance(d, IntDistribution):
        return {"type": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    return {"type": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}


def parzen_case(name, space, n_obs, n_query, seed, weights=None, params=PARAMS):
    rng = np.random.RandomState(seed)
    def draw(d, n):
        if isinstance(d, CategoricalDistribution):
            return rng.randint(0, len(d.choices), n).astype(float)
        if isinstance(d, IntDistribution):
            if d.log:
                return np.round(np.exp(rng.uniform(np.log(d.low), np.log(d.high), n)))
            k = (d.high - d.low) // d.step
            return (d.low + d.step * rng.randint(0, k + 1, n)).astype(float)
        if d.step is not None:
            k = int(round((d.high - d.low) / d.step))
            return d.low + d.step * rng.randint(0, k + 1, n)
        if d.log:
            return np.exp(rng.uniform(np.log(d.low), np.log(d.high), n))
        return rng.uniform(d.low, d.high, n)
    obs = {k: draw(d, n_obs) for k, d in space.items()}
    query = {k: draw(d, n_query) for k, d in space.items()}
    pw = None if weights is None else np.asarray(weights, dtype=float)
    pe = _ParzenEstimator(obs, space, params, pw)
    lp = pe.log_pdf(query)
    names = list(space)
    return {
        "name": name,
        "space": [dict(spec(space[k]), name=k) for k in names],
        "observations": [[float(obs[k][i]) for k in names] for i in range(n_obs)],
        "weights": None if weights is None else [float(w) for w in weights],
        "options": {"prior_weight": params.prior_weight, "consider_endpoints": params.consider_endpoints,
                    "consider_magic_clip": params.consider_magic_clip},
        "query": [[float(query[k][i]) for k in names] for i in range(n_query)],
        "log_pdf": [float(v) for v in lp],
    }


def parzen_cases():
    f = FloatDistribution(-5, 10)
    lf = FloatDistribution(1e-5, 1e-1, log=True)
    sf = FloatDistribution(0, 1, step=0.1)
    i = IntDistribution(1, 20)
    si = IntDistribution(0, 100, step=5)
    li = IntDistribution(1, 1024, log=True)
    c = CategoricalDistribution(["a", "b", "c", "d"])
    cases = []
    for n in (0, 1, 2, 3, 5, 30):
        cases.append(parzen_case(f"float n={n}", {"x": f}, n, 12, 100 + n))
    cases.append(parzen_case("log float", {"lr": lf}, 17, 12, 1))
    cases.append(parzen_case("stepped float", {"s": sf}, 9, 12, 2))
    cases.append(parzen_case("int", {"k": i}, 11, 12, 3))
    cases.append(parzen_case("stepped int", {"k": si}, 8, 12, 4))
    cases.append(parzen_case("log int", {"units": li}, 13, 12, 5))
    cases.append(parzen_case("categorical", {"c": c}, 10, 12, 6))
    cases.append(parzen_case("categorical n=0", {"c": c}, 0, 4, 7))
    cases.append(parzen_case("joint mixed", {"x": f, "lr": lf, "k": i, "c": c, "s": sf}, 24, 20, 8))
    cases.append(parzen_case("joint mixed, n=40 (ramped weights)", {"x": f, "lr": lf, "k": si, "c": c}, 40, 20, 11))
    cases.append(parzen_case("joint mixed, given weights", {"x": f, "c": c}, 6, 10, 9, weights=[1, 1, 1, 1, 1, 1]))
    cases.append(parzen_case("joint n=60 (ramped weights)", {"x": f, "k": si, "units": li}, 60, 16, 10))
    # The estimator options: endpoints as neighbours, no magic clip, other prior weights.
    for k, (pw_, ends, clip) in enumerate([(1.0, True, True), (1.0, False, False), (0.5, True, False), (3.0, False, True)]):
        opts = _ParzenEstimatorParameters(prior_weight=pw_, consider_magic_clip=clip, consider_endpoints=ends,
                                          weights=default_weights, multivariate=True)
        label = f"options prior_weight={pw_} consider_endpoints={ends} consider_magic_clip={clip}"
        cases.append(parzen_case(label, {"x": f, "lr": lf, "k": i, "c": c}, 7 + 9 * k, 16, 20 + k, params=opts))
        cases.append(parzen_case(label + ", n=2", {"x": f, "s": sf}, 2, 8, 30 + k, params=opts))
    # Observations at the bounds and duplicates.
    pe = _ParzenEstimator({"x": np.array([-5.0, -5.0, 10.0, 2.0, 2.0])}, {"x": f}, PARAMS)
    q = np.array([-5.0, -4.999, 2.0, 9.99, 10.0])
    cases.append({"name": "bounds and duplicates", "space": [dict(spec(f), name="x")],
                  "observations": [[-5.0], [-5.0], [10.0], [2.0], [2.0]], "weights": None,
                  "options": {"prior_weight": 1.0, "consider_endpoints": False, "consider_magic_clip": True},
                  "query": [[v] for v in q], "log_pdf": [float(v) for v in pe.log_pdf({"x": q})]})
    return cases


def split_cases():
    rng = np.random.RandomState(11)
    out = []
    for directions, n_complete, n_pruned, n_running in (
        (["minimize"], 30, 0, 0), (["maximize"], 12, 5, 3), (["minimize"], 3, 4, 1),
        (["minimize", "minimize"], 40, 0, 0), (["minimize", "maximize"], 25, 0, 2)):
        trials = []
        kinds = ["complete"] * n_complete + ["pruned"] * n_pruned + ["running"] * n_running
        rng.shuffle(kinds)
        desc = []
        for number, kind in enumerate(kinds):
            if kind == "complete":
                values = [float(np.round(rng.uniform(0, 10), 1)) for _ in directions]
                t = create_trial(state=TrialState.COMPLETE, values=values, params={}, distributions={})
                desc.append({"state": "COMPLETE", "values": values})
            elif kind == "pruned":
                k = int(rng.randint(0, 3))
                iv = {int(s): float(np.round(rng.uniform(0, 10), 1)) for s in range(k)}
                t = create_trial(state=TrialState.PRUNED, params={}, distributions={}, intermediate_values=iv)
                desc.append({"state": "PRUNED", "intermediate": [[s, v] for s, v in sorted(iv.items())]})
            else:
                t = create_trial(state=TrialState.RUNNING, params={}, distributions={})
                desc.append({"state": "RUNNING"})
            t.number = number
            trials.append(t)
        study = optuna.create_study(directions=directions)
        n = sum(t.state != TrialState.RUNNING for t in trials)
        gamma = (default_gamma if len(directions) == 1 else default_gamma_multiobjective)(n)
        below, above = _split_trials(study, trials, gamma)
        out.append({"directions": directions, "trials": desc, "n_below": gamma,
                    "below": [t.number for t in below], "above": [t.number for t in above]})
    return out


def truncnorm_cases():
    pairs = [(-1.0, 1.0), (0.0, 1.0), (-3.0, -2.0), (2.0, 3.0), (5.0, 6.0), (-40.0, -39.0), (38.0, 40.0),
             (-1e-9, 1e-9), (-50.0, 50.0), (10.0, 40.0), (-40.0, -30.0), (0.5, 0.5000001)]
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    return [{"a": p[0], "b": p[1], "log_mass": float(v)} for p, v in zip(pairs, _truncnorm._log_gauss_mass(a, b))]


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # Which of several equal observations (integers, grid values) gets which bandwidth follows the
    # order argsort gives ties. numpy's default argsort orders ties arbitrarily (SIMD sorts even
    # for a few elements); that changes joint estimators (each kernel pairs one bandwidth per
    # parameter) and ramped weights, not the algorithm. tunekit keeps trial order, so the
    # reference is made with a stable argsort.
    stable = np.argsort
    np.argsort = lambda a, *args, **kw: stable(a, *args, **{**kw, "kind": "stable"})
    doc = {"generator": "bench/make_tpe_fixtures.py", "optuna": optuna.__version__, "numpy": np.__version__,
           "parzen": parzen_cases(), "split": split_cases(), "truncnorm": truncnorm_cases()}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
