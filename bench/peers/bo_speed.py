"""Bayesian-optimisation speed of the Python peers: time to propose the next point.

Given n observations of Hartmann6 (6-D) at uniform random points, time one
proposal, GP fit included:

  bayes_opt   a fresh BayesianOptimization(f=None, random_state=0) with its
              default acquisition (UCB, kappa=2.576); register the n points
              (targets -y: bayes_opt maximises), then time suggest(), which
              fits the GP (Matern 2.5, 5 optimiser restarts) and maximises the
              acquisition (10 000 random points + 10 L-BFGS-B starts).
  optuna_gp   a fresh in-memory study with GPSampler(seed=0,
              n_startup_trials=10); add the n points as completed trials
              (study.add_trials with optuna.trial.create_trial), then time
              study.ask() plus the suggest_float calls that read the proposed
              point. The GPSampler fits its GP and optimises the acquisition
              in sample_relative, which Optuna 5 runs lazily, at the first
              suggest_float of the trial, so the suggest calls must be timed.

Each timing is of the first proposal after loading the data into a fresh
optimiser / study with a fresh sampler, so nothing is warm-started from an
earlier fit (GPSampler caches kernel parameters across asks of one sampler).
Before measuring, each peer makes one untimed proposal at the smallest n, to
take imports and first-call set-up out of the timings. Reported: the median of
--repeats such timings per n (plus all of them).

The data: X = numpy.random.default_rng(--data-seed).uniform(0, 1, (max n, 6)),
y = hartmann6(X row by row); the first n rows are used for each n. X and y are
written to the output ("data") so that the JS side can load exactly the same
points.

Threads: library defaults (torch and BLAS use all cores) unless --threads is
given; the counts used are recorded.

Output JSON:
  { "versions", "machine", "settings",
    "data": { "X": [[...6], ...], "y": [...] },
    "results": { peer: { "<n>": median seconds } },
    "all": { peer: { "<n>": [seconds per repeat] } } }

    bench/.venv/bin/python bench/peers/bo_speed.py --ns 50,200,500,1000 --dim 6 --repeats 3 \\
        --out bench/results/bo_speed_peers.json
"""
import argparse
import contextlib
import io
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def make_data(n, dim, seed):
    import numpy as np
    from functions import hartmann6

    X = np.random.default_rng(seed).uniform(0.0, 1.0, size=(n, dim))
    y = [hartmann6(row) for row in X.tolist()]
    return X.tolist(), y


def time_bayes_opt(X, y):
    from bayes_opt import BayesianOptimization

    names = [f"x{i:02d}" for i in range(len(X[0]))]
    opt = BayesianOptimization(f=None, pbounds={n: (0.0, 1.0) for n in names}, random_state=0, verbose=0)
    for row, v in zip(X, y):
        opt.register(params=dict(zip(names, row)), target=-v)
    with contextlib.redirect_stdout(io.StringIO()):
        t0 = time.perf_counter()
        opt.suggest()
        return time.perf_counter() - t0


def time_optuna_gp(X, y):
    import optuna
    from optuna.distributions import FloatDistribution

    names = [f"x{i:02d}" for i in range(len(X[0]))]
    dists = {n: FloatDistribution(0.0, 1.0) for n in names}
    study = optuna.create_study(direction="minimize",
                                sampler=optuna.samplers.GPSampler(seed=0, n_startup_trials=10))
    study.add_trials([optuna.trial.create_trial(params=dict(zip(names, row)), distributions=dists, value=v)
                      for row, v in zip(X, y)])
    t0 = time.perf_counter()
    trial = study.ask()
    for n in names:
        trial.suggest_float(n, 0.0, 1.0)
    return time.perf_counter() - t0


PEERS = {"bayes_opt": time_bayes_opt, "optuna_gp": time_optuna_gp}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ns", default="50,200,500,1000", help="observation counts (default 50,200,500,1000)")
    ap.add_argument("--dim", type=int, default=6, help="must be 6 (Hartmann6)")
    ap.add_argument("--repeats", type=int, default=3, help="timings per n and peer (default 3)")
    ap.add_argument("--data-seed", type=int, default=0, help="numpy seed of the points (default 0)")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated (default {','.join(PEERS)})")
    ap.add_argument("--threads", type=int, default=None, help="pin BLAS/torch threads (default: library defaults)")
    ap.add_argument("--out", required=True, help="output JSON file")
    args = ap.parse_args()
    if args.dim != 6:
        ap.error("--dim must be 6: the objective is Hartmann6")
    ns = sorted(int(n) for n in args.ns.split(","))
    peers = args.peers.split(",")
    for p in peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r}")
    if args.threads:
        common.limit_threads(args.threads)
    common.quiet()
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)

    X, y = make_data(max(ns), args.dim, args.data_seed)
    settings = {"ns": ns, "dim": args.dim, "repeats": args.repeats, "function": "hartmann6",
                "data": f"numpy.random.default_rng({args.data_seed}).uniform(0, 1, ({max(ns)}, 6)); first n rows",
                "torch_threads": torch.get_num_threads(), "threads_pinned": args.threads,
                "measured": {"bayes_opt": "BayesianOptimization.suggest() after register() of n points",
                             "optuna_gp": "study.ask() + suggest_float of the 6 params, GPSampler(seed=0,"
                                          " n_startup_trials=10), n trials added with add_trials"}}
    results, everything = {}, {}
    out = {"versions": common.versions(), "machine": common.machine(), "settings": settings,
           "results": results, "all": everything, "data": {"X": X, "y": y}}
    for p in peers:
        fn = PEERS[p]
        fn(X[:ns[0]], y[:ns[0]])  # warm-up, untimed
        results[p], everything[p] = {}, {}
        for n in ns:
            times = [fn(X[:n], y[:n]) for _ in range(args.repeats)]
            everything[p][str(n)] = times
            results[p][str(n)] = statistics.median(times)
            common.write_json(args.out, out)
            print(f"  {p:10} n={n:5d}: median {results[p][str(n)]:.3f} s  ({', '.join(f'{t:.3f}' for t in times)})",
                  file=sys.stderr)

    common.table(f"seconds to propose the next point (median of {args.repeats}), Hartmann6",
                 [str(n) for n in ns], peers, lambda n, p: results.get(p, {}).get(n), first="n")


if __name__ == "__main__":
    main()
