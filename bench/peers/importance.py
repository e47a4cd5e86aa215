"""Parameter importance speed of Optuna 5.1: PED-ANOVA and fANOVA on the same trials.

Reads the trials bench/importance.mjs made (JSON: distributions in tunekit's
space format, trials with params and value), adds them to an in-memory Optuna
study (create_trial, add_trials), and times get_param_importances with
PedAnovaImportanceEvaluator() and FanovaImportanceEvaluator(seed=0) (their
defaults: 64 trees, max depth 64); reported: the median seconds over
--repeats calls (--fanova-repeats for fANOVA) and the importances.

Output JSON: { "versions", "machine", "settings", "results": { "<evaluator>": { "seconds", "importances" } } }

    bench/.venv/bin/python bench/peers/importance.py --trials bench/results/importance_trials.json --out bench/results/importance_peers.json
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def distribution(d):
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    if d["type"] == "categorical":
        return CategoricalDistribution(d["choices"])
    if d["type"] == "int":
        return IntDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step", 1))
    return FloatDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--fanova-repeats", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    common.quiet()
    import optuna
    from optuna.importance import FanovaImportanceEvaluator, PedAnovaImportanceEvaluator, get_param_importances

    with open(args.trials) as f:
        data = json.load(f)
    dists = {k: distribution(d) for k, d in data["distributions"].items()}
    study = optuna.create_study(direction=data["direction"])
    study.add_trials([optuna.trial.create_trial(params=t["params"], distributions=dists, value=t["value"]) for t in data["trials"]])
    results = {}
    for name, make, repeats in [("ped-anova", PedAnovaImportanceEvaluator, args.repeats), ("fanova", lambda: FanovaImportanceEvaluator(seed=0), args.fanova_repeats)]:
        times = []
        imp = None
        for _ in range(repeats):
            t0 = time.perf_counter()
            imp = get_param_importances(study, evaluator=make())
            times.append(time.perf_counter() - t0)
        results[name] = {"seconds": statistics.median(times), "importances": {k: float(v) for k, v in imp.items()}}
        print(f"  optuna {name}: {results[name]['seconds']:.3f} s", file=sys.stderr)
    common.write_json(args.out, {"versions": common.versions(), "machine": common.machine(), "results": results,
                                 "settings": {"n_trials": len(data["trials"]), "n_params": len(dists), "repeats": args.repeats,
                                              "fanova_repeats": args.fanova_repeats}})


if __name__ == "__main__":
    main()
