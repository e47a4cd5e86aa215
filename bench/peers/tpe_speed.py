"""TPE propose time of Optuna: seconds per ask + tell at n stored trials.

A study with n COMPLETE trials of a mixed 6-parameter space (four floats, one
of them log-scale, an int and a categorical; value = a sum of squares) made by
RandomSampler(seed=0) is reloaded with TPESampler(seed=0) (Optuna 5 defaults:
multivariate with one objective), --warmup ask + tell rounds are run
untimed, and --repeats further rounds are timed; reported: the median seconds
per round. In-memory storage.

Output JSON: { "versions", "machine", "settings", "results": { "<n>": s } }

    bench/.venv/bin/python bench/peers/tpe_speed.py --out bench/results/tpe_speed_peers.json
"""
import argparse
import math
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def objective(trial):
    s = sum((trial.suggest_float(f"x{i}", -5.0, 5.0) - 1) ** 2 for i in range(3))
    s += (math.log10(trial.suggest_float("lr", 1e-5, 1.0, log=True)) + 3) ** 2
    s += (trial.suggest_int("k", 1, 20) - 7) ** 2
    s += 0.0 if trial.suggest_categorical("c", ["a", "b", "c", "d"]) == "b" else 4.0
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ns", default="100,1000")
    ap.add_argument("--repeats", type=int, default=11)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    common.quiet()
    import optuna
    ns = [int(v) for v in args.ns.split(",")]
    results = {}
    for n in ns:
        storage = optuna.storages.InMemoryStorage()
        first = optuna.create_study(study_name="s", storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
        first.optimize(objective, n_trials=n)
        study = optuna.load_study(study_name="s", storage=storage, sampler=optuna.samplers.TPESampler(seed=0))
        for _ in range(args.warmup):
            trial = study.ask()
            study.tell(trial, objective(trial))
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            trial = study.ask()
            study.tell(trial, objective(trial))
            times.append(time.perf_counter() - t0)
        results[str(n)] = statistics.median(times)
        print(f"  tpe n={n}: {results[str(n)] * 1e3:.2f} ms/trial", file=sys.stderr)
    common.write_json(args.out, {"versions": common.versions(), "machine": common.machine(), "results": results,
                                 "settings": {"ns": ns, "repeats": args.repeats, "warmup": args.warmup}})


if __name__ == "__main__":
    main()
