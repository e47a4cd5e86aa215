"""A conditional space: the Python peers on problems.py's ``conditional`` problem.

A model-choice parameter (classifier ∈ {svm, tree, knn}) whose branches have
their own parameters (svm: C, gamma (log), kernel; tree: max_depth,
min_samples_leaf (int), criterion; knn: n_neighbors (int), weights, p), with a
smooth deterministic error per branch (optimum 0.04 on svm/rbf; formulas in
problems.py). Each run is --trials trials; the best error is recorded.

Peers:
  optuna_tpe_group  optuna.samplers.TPESampler(seed=s, multivariate=True, group=True)
  optuna_tpe        optuna.samplers.TPESampler(seed=s, multivariate=True)
  random            optuna.samplers.RandomSampler(seed=s)

    bench/.venv/bin/python bench/peers/conditional.py --trials 200 --seeds 10 --jobs 2 \\
        --out bench/results/conditional_peers.json
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)

import runner  # noqa: E402
from problems import CONDITIONAL_SPACE, conditional_error  # noqa: E402

PEERS = ["optuna_tpe_group", "optuna_tpe", "random"]


def objective(trial):
    c = CONDITIONAL_SPACE["classifier"]
    params = {"classifier": runner.optuna_suggest(trial, c)}
    for q in CONDITIONAL_SPACE["branches"][params["classifier"]]:
        params[q["name"]] = runner.optuna_suggest(trial, q)
    return conditional_error(params)


def run_conditional(problem, peer, seed, trials):
    import optuna

    common.quiet()
    study = optuna.create_study(sampler=runner.optuna_sampler(peer, seed), direction="minimize")
    study.optimize(objective, n_trials=trials)
    if len(study.trials) != trials:
        raise RuntimeError(f"{peer}/seed {seed}: {len(study.trials)} trials")
    return study.best_value


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    peers = args.peers.split(",")
    settings = {"peers": {"optuna_tpe_group": "TPESampler(seed, multivariate=True, group=True)",
                          "optuna_tpe": "TPESampler(seed, multivariate=True)", "random": "RandomSampler(seed)"}}
    results = runner.drive(run_conditional, ["conditional"], peers, range(args.seeds), args.trials, args.jobs,
                           args.out, settings)
    common.table(f"median best error after {args.trials} trials (optimum 0.04)", ["conditional"], peers,
                 lambda pr, p: common.median(results[pr][p]["best"][:args.seeds]), first="problem")


if __name__ == "__main__":
    main()
