"""Bayesian-optimisation quality of the Python peers: simple regret after k evaluations.

For each test function (bench/peers/functions.py) and seed, each peer minimises
the function with a budget of --evals evaluations, the first --init of them
random. Recorded per run: the simple regret (best value found - known minimum)
after --at evaluations (default: half the budget) and after the full budget,
and the wall time of the run.

Peers (all with library defaults unless stated):
  bayes_opt_ucb  bayes_opt.BayesianOptimization with its default acquisition,
                 which in bayesian-optimization 3.x (unconstrained) is
                 UpperConfidenceBound(kappa=2.576) without decay;
                 maximize(init_points=init, n_iter=evals-init), on -f.
  bayes_opt_ei   the same with acquisition.ExpectedImprovement(xi=0.01).
  optuna_tpe     optuna.samplers.TPESampler(seed=s, n_startup_trials=init).
  optuna_gp      optuna.samplers.GPSampler(seed=s, n_startup_trials=init).
  random         uniform random search, numpy default_rng(s).

Each peer draws its own initial points from its own seeded generator, as a user
of the library would. bayes_opt runs with allow_duplicate_points=True: by
default it raises NotUniqueError when the acquisition re-proposes a point
(which UCB can do, at a corner of the box), which would end the run early.

Each run is a separate task; tasks run in --jobs processes (default 1), each
pinned to one BLAS/torch thread, so results do not depend on --jobs (timings
do, a little: they are wall times with whatever else runs on the machine).
The output file is rewritten after every finished run, and an existing output
file with the same --evals/--init/--at is resumed (finished runs are kept).

Output JSON:
  { "versions": {...}, "settings": {...},
    "results": { fn: { peer: { "regret30": [per seed], "regret60": [...],
                               "seconds": [...] } } },
    "summary": { fn: { peer: { "regret30": median, "regret60": median,
                               "seconds": median } } } }
(the keys say 30/60 whatever --at/--evals are; "settings" has the actual
numbers; null marks a run not done yet).

    bench/.venv/bin/python bench/peers/bo_quality.py --evals 60 --init 10 --seeds 10 \\
        --jobs 2 --out bench/results/bo_quality_peers.json
"""
import argparse
import contextlib
import io
import multiprocessing as mp
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)  # before numpy / torch are imported

import numpy as np  # noqa: E402

from functions import BO_FUNCTIONS, FUNCTIONS  # noqa: E402

PEERS = ["bayes_opt_ucb", "bayes_opt_ei", "optuna_tpe", "optuna_gp", "random"]


class Recorder:
    """Wraps f(x) and keeps every value, in evaluation order."""

    def __init__(self, f):
        self.f = f
        self.values = []

    def __call__(self, x):
        v = self.f(list(map(float, x)))
        self.values.append(v)
        return v

    def best_after(self, k):
        return min(self.values[:k])


def run_bayes_opt(spec, rec, seed, evals, init, acquisition):
    from bayes_opt import BayesianOptimization
    from bayes_opt import acquisition as acq

    names = [f"x{i:02d}" for i in range(spec["dim"])]
    pbounds = {n: tuple(b) for n, b in zip(names, spec["bounds"])}
    kwargs = {}
    if acquisition == "ei":
        kwargs["acquisition_function"] = acq.ExpectedImprovement(xi=0.01)
    opt = BayesianOptimization(
        f=lambda **p: -rec([p[n] for n in names]),  # bayes_opt maximises
        pbounds=pbounds, random_state=seed, verbose=0, allow_duplicate_points=True, **kwargs)
    # allow_duplicate_points prints a line on stdout per duplicate: keep stdout clean.
    with contextlib.redirect_stdout(io.StringIO()):
        opt.maximize(init_points=init, n_iter=evals - init)
    if acquisition == "ucb":  # confirm the default really is what the docstring says
        a = opt._acquisition_function
        assert type(a).__name__ == "UpperConfidenceBound" and a.kappa == 2.576, a


def run_optuna(spec, rec, seed, evals, init, kind):
    import optuna

    common.quiet()
    if kind == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=init)
    else:
        sampler = optuna.samplers.GPSampler(seed=seed, n_startup_trials=init)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    bounds = spec["bounds"]
    study.optimize(lambda t: rec([t.suggest_float(f"x{i:02d}", lo, hi) for i, (lo, hi) in enumerate(bounds)]),
                   n_trials=evals)


def run_random(spec, rec, seed, evals):
    rng = np.random.default_rng(seed)
    lo = np.array([b[0] for b in spec["bounds"]])
    hi = np.array([b[1] for b in spec["bounds"]])
    for x in rng.uniform(lo, hi, size=(evals, spec["dim"])):
        rec(x)


def run_one(task):
    """One (function, peer, seed) run; returns the task and its measurements."""
    fn, peer, seed, evals, init, at = task
    common.quiet()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass
    spec = FUNCTIONS[fn]
    rec = Recorder(spec["f"])
    t0 = time.perf_counter()
    if peer == "bayes_opt_ucb":
        run_bayes_opt(spec, rec, seed, evals, init, "ucb")
    elif peer == "bayes_opt_ei":
        run_bayes_opt(spec, rec, seed, evals, init, "ei")
    elif peer == "optuna_tpe":
        run_optuna(spec, rec, seed, evals, init, "tpe")
    elif peer == "optuna_gp":
        run_optuna(spec, rec, seed, evals, init, "gp")
    elif peer == "random":
        run_random(spec, rec, seed, evals)
    seconds = time.perf_counter() - t0
    if len(rec.values) != evals:
        raise RuntimeError(f"{fn}/{peer}/seed {seed}: {len(rec.values)} evaluations instead of {evals}")
    opt = spec["optimum"]
    return task, {"regret_at": rec.best_after(at) - opt, "regret_end": rec.best_after(evals) - opt,
                  "seconds": seconds}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--evals", type=int, default=60, help="evaluations per run (default 60)")
    ap.add_argument("--init", type=int, default=10, help="initial random evaluations (default 10)")
    ap.add_argument("--at", type=int, default=None, help="also record regret after this many (default evals/2)")
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    ap.add_argument("--functions", default=",".join(BO_FUNCTIONS),
                    help=f"comma-separated (default {','.join(BO_FUNCTIONS)})")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated (default {','.join(PEERS)})")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes, at most 2 (default 1)")
    ap.add_argument("--out", required=True, help="output JSON file (resumed if it exists)")
    args = ap.parse_args()
    at = args.at or args.evals // 2
    functions = args.functions.split(",")
    peers = args.peers.split(",")
    for fn in functions:
        if fn not in FUNCTIONS or FUNCTIONS[fn]["n_obj"] != 1:
            ap.error(f"unknown single-objective function {fn!r}")
    for p in peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r} (known: {', '.join(PEERS)})")
    seeds = list(range(args.seeds))
    k_at, k_end = f"regret{at}", f"regret{args.evals}"

    settings = {"evals": args.evals, "init": args.init, "at": at, "seeds": seeds, "jobs": args.jobs,
                "threads_per_process": 1,
                "peers": {
                    "bayes_opt_ucb": "BayesianOptimization default acquisition = UpperConfidenceBound(kappa=2.576),"
                                     " maximize(init_points=init, n_iter=evals-init) on -f,"
                                     " random_state=seed, allow_duplicate_points=True",
                    "bayes_opt_ei": "same with acquisition.ExpectedImprovement(xi=0.01)",
                    "optuna_tpe": "TPESampler(seed=seed, n_startup_trials=init)",
                    "optuna_gp": "GPSampler(seed=seed, n_startup_trials=init)",
                    "random": "numpy default_rng(seed).uniform over the box",
                },
                "regret": "best value among the first k evaluations minus the known minimum",
                "seconds": "wall time of the whole run, objective included"}

    # Resume: keep finished runs from an earlier file with the same budget.
    old = common.read_json(args.out)
    results = {}
    if old and all(old.get("settings", {}).get(k) == settings[k] for k in ("evals", "init", "at")):
        results = old.get("results", {})
    for fn in functions:
        for p in peers:
            entry = results.setdefault(fn, {}).setdefault(p, {})
            for k in (k_at, k_end, "seconds"):
                vals = entry.get(k, [])
                entry[k] = (vals + [None] * len(seeds))[:len(seeds)]

    def save():
        summary = {fn: {p: {k: common.median(v) for k, v in r.items()} for p, r in pr.items()}
                   for fn, pr in results.items()}
        common.write_json(args.out, {"versions": common.versions(), "machine": common.machine(),
                                     "settings": settings, "results": results, "summary": summary})

    tasks = [(fn, p, s, args.evals, args.init, at) for fn in functions for p in peers for s in seeds
             if results[fn][p][k_end][s] is None]
    print(f"{len(tasks)} runs to do ({args.jobs} process(es))", file=sys.stderr)
    t_start = time.perf_counter()

    def record(task, res):
        fn, p, s = task[:3]
        results[fn][p][k_at][s] = res["regret_at"]
        results[fn][p][k_end][s] = res["regret_end"]
        results[fn][p]["seconds"][s] = res["seconds"]
        save()
        print(f"  {fn:17} {p:14} seed {s}: regret{at} {res['regret_at']:.4g}, "
              f"regret{args.evals} {res['regret_end']:.4g}, {res['seconds']:.1f} s", file=sys.stderr)

    if args.jobs > 1:
        # spawn: fresh interpreters, no torch/BLAS state forked from the parent.
        with mp.get_context("spawn").Pool(min(args.jobs, 2)) as pool:
            for task, res in pool.imap_unordered(run_one, tasks):
                record(task, res)
    else:
        for task in tasks:
            record(*run_one(task))
    save()
    print(f"done in {time.perf_counter() - t_start:.0f} s", file=sys.stderr)

    for key, title in ((k_at, f"median regret after {at} evaluations"),
                       (k_end, f"median regret after {args.evals} evaluations"),
                       ("seconds", "median seconds per run")):
        common.table(title, functions, peers, lambda fn, p: common.median(results[fn][p][key]), first="function")


if __name__ == "__main__":
    main()
