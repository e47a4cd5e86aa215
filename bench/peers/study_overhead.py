"""Study overhead of Optuna: seconds per trial of the study machinery.

1. ask + tell with RandomSampler(seed=0) and a trivial objective (three
   parameters: a float, a log-scale int and a categorical; value = the float),
   in-memory storage (--memory-trials trials; median of --repeats runs) and SQLite
   storage in a fresh file (--sqlite-trials trials). Reported: wall time / trials.
2. Model-based samplers at n stored trials (--ns, default 100,500): a study
   with n COMPLETE trials of a 6-D sphere made by RandomSampler(seed=0) is
   reloaded with GPSampler(seed=0) (one objective) or NSGAIISampler(seed=0,
   population_size=50) (two objectives: sphere and the sphere around 1), and
   --repeats further ask + tell rounds are timed; reported: the median seconds
   per trial. In-memory storage.

Output JSON: { "versions", "machine", "settings",
  "results": { "memory": s, "sqlite": s, "gp": { "<n>": s }, "nsga2": { "<n>": s } } }

    bench/.venv/bin/python bench/peers/study_overhead.py --out bench/results/study_overhead_peers.json
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def ask_tell(study, n):
    t0 = time.perf_counter()
    for _ in range(n):
        trial = study.ask()
        x = trial.suggest_float("x", -5.0, 5.0)
        trial.suggest_int("k", 1, 1000, log=True)
        trial.suggest_categorical("c", ["a", "b", "c"])
        study.tell(trial, x)
    return (time.perf_counter() - t0) / n


def sphere6(trial):
    xs = [trial.suggest_float(f"x{i}", -5.0, 5.0) for i in range(6)]
    return sum(v * v for v in xs), sum((v - 1) ** 2 for v in xs)


def model_based(kind, n, repeats):
    import optuna
    storage = optuna.storages.InMemoryStorage()
    directions = ["minimize"] if kind == "gp" else ["minimize", "minimize"]
    study = optuna.create_study(storage=storage, study_name="s", directions=directions,
                                sampler=optuna.samplers.RandomSampler(seed=0))
    obj = (lambda t: sphere6(t)[0]) if kind == "gp" else sphere6
    study.optimize(obj, n_trials=n)
    sampler = (optuna.samplers.GPSampler(seed=0) if kind == "gp"
               else optuna.samplers.NSGAIISampler(seed=0, population_size=50))
    study = optuna.load_study(study_name="s", storage=storage, sampler=sampler)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        trial = study.ask()
        study.tell(trial, obj(trial))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--memory-trials", type=int, default=2000)
    ap.add_argument("--sqlite-trials", type=int, default=300)
    ap.add_argument("--ns", default="100,500")
    ap.add_argument("--repeats", type=int, default=11)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    common.quiet()
    import optuna
    ns = [int(v) for v in args.ns.split(",")]
    results = {}
    out = {"versions": common.versions(), "machine": common.machine(), "results": results,
           "settings": {"memory_trials": args.memory_trials, "sqlite_trials": args.sqlite_trials, "ns": ns,
                        "repeats": args.repeats}}
    ask_tell(optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0)), 50)  # warm-up
    # Median of --repeats runs of --memory-trials, each in a fresh study (the same on the Node side).
    results["memory"] = statistics.median(
        ask_tell(optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0)), args.memory_trials)
        for _ in range(args.repeats))
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{os.path.join(d, 'optuna.db')}"
        study = optuna.create_study(storage=url, sampler=optuna.samplers.RandomSampler(seed=0))
        results["sqlite"] = ask_tell(study, args.sqlite_trials)
    for kind in ("gp", "nsga2"):
        results[kind] = {}
        for n in ns:
            results[kind][str(n)] = model_based(kind, n, args.repeats)
            print(f"  {kind} n={n}: {results[kind][str(n)]:.4f} s/trial", file=sys.stderr)
    common.write_json(args.out, out)
    print(f"memory {results['memory'] * 1e3:.3f} ms/trial, sqlite {results['sqlite'] * 1e3:.3f} ms/trial", file=sys.stderr)


if __name__ == "__main__":
    main()
