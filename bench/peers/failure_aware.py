"""Failure-aware search, the Optuna 5 side (bench/failure_aware.mjs runs this).

The item-5 setting of issue 13: a 5-way categorical c in {a, b, c, d, e}, where
b and d always raise, and `dims` floats x_i in [-5, 5]; the objective is
sum (x_i - 1)^2 + {a: 0.5, c: 0, e: 1}[c] (minimum 0 at c = "c", x = 1).
40 trials per run, study.optimize(catch=(Crash,)), library defaults:
  optuna_gp   optuna.samplers.GPSampler(seed=s)
  optuna_tpe  optuna.samplers.TPESampler(seed=s)
Recorded per run: how many of the 40 trials failed (ran on b or d), and the
best value found.

Output JSON: { "versions": {...}, "settings": {...},
  "results": { "<dims>": { peer: { "failed": [per seed], "best": [per seed] } } } }

    bench/.venv/bin/python bench/peers/failure_aware.py --dims 1,2,3 --seeds 10 --out FILE
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import limit_threads, machine, quiet, versions, write_json  # noqa: E402

limit_threads(1)
quiet()
import optuna  # noqa: E402

FAIL = {"b", "d"}
OFFSET = {"a": 0.5, "c": 0.0, "e": 1.0}
N_TRIALS = 40


class Crash(Exception):
    pass


def run(peer, dims, seed):
    sampler = optuna.samplers.GPSampler(seed=seed) if peer == "optuna_gp" else optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler)

    def objective(trial):
        c = trial.suggest_categorical("c", ["a", "b", "c", "d", "e"])
        s = sum((trial.suggest_float(f"x{i}", -5, 5) - 1) ** 2 for i in range(dims))
        if c in FAIL:
            raise Crash("boom")
        return s + OFFSET[c]

    study.optimize(objective, n_trials=N_TRIALS, catch=(Crash,))
    failed = sum(1 for t in study.trials if t.state == optuna.trial.TrialState.FAIL)
    return failed, study.best_value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", default="1,2,3")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    results = {}
    for dims in [int(d) for d in a.dims.split(",")]:
        results[str(dims)] = {}
        for peer in ["optuna_gp", "optuna_tpe"]:
            failed, best = [], []
            for seed in range(a.seeds):
                f, b = run(peer, dims, seed)
                failed.append(f)
                best.append(b)
            results[str(dims)][peer] = {"failed": failed, "best": best}
            print(f"{peer} dims={dims}: failed {sum(failed) / len(failed):.1f} of {N_TRIALS}", file=sys.stderr)
            write_json(a.out, {"versions": versions(), "machine": machine(),
                               "settings": {"dims": a.dims, "seeds": a.seeds, "n_trials": N_TRIALS},
                               "results": results})


if __name__ == "__main__":
    main()
