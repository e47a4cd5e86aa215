"""Optuna's side of bench/plots_scale.mjs: the time optuna.visualization takes
to build each plot (a plotly Figure, not drawn) over the same trials.

The trials come from a JSON file the Node side writes (one single-objective
study and one two-objective study, with params, values, intermediate values
and start/end times); they are added to in-memory Optuna studies as
FrozenTrials, then each plot function is timed once (they take seconds at
50 000 trials). A plot that takes longer than --limit seconds is still
measured to its end. --skip leaves plots out: plot_contour needs memory
quadratic in the trials (it was killed at 22 GB with 50 000 trials), so
bench/plots_scale.mjs skips it above 10 000 trials.

Output JSON: { "versions", "machine", "settings", "results": { plot: seconds } }

    bench/.venv/bin/python bench/peers/plots_scale.py --trials TRIALS.json --out bench/results/plots_scale_peers.json
"""
import argparse
import datetime
import json
import os
import sys
import time
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402


def frozen(optuna, t, dists):
    start = datetime.datetime.fromtimestamp(t["start"] / 1000, tz=datetime.timezone.utc)
    end = datetime.datetime.fromtimestamp(t["end"] / 1000, tz=datetime.timezone.utc)
    return optuna.trial.FrozenTrial(
        number=t["number"],
        state=optuna.trial.TrialState.COMPLETE,
        value=None,
        values=t["values"],
        datetime_start=start,
        datetime_complete=end,
        params=t["params"],
        distributions={k: dists[k] for k in t["params"]},
        user_attrs={},
        system_attrs={},
        intermediate_values={int(k): v for k, v in t.get("intermediate", {}).items()},
        trial_id=t["number"],
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip", default="", help="comma-separated plots to leave out")
    args = ap.parse_args()
    common.quiet()
    import optuna
    import optuna.visualization as vis
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    data = json.load(open(args.trials))
    dists = {
        "x": FloatDistribution(-5, 5),
        "lr": FloatDistribution(1e-4, 1, log=True),
        "layers": IntDistribution(1, 8),
        "opt": CategoricalDistribution(["adam", "sgd", "rms"]),
    }
    single = optuna.create_study(direction="minimize")
    single.add_trials([frozen(optuna, t, dists) for t in data["single"]])
    multi = optuna.create_study(directions=["minimize", "minimize"])
    multi.add_trials([frozen(optuna, t, dists) for t in data["multi"]])
    skip = set(s for s in args.skip.split(",") if s)
    plots = {
        "history": lambda: vis.plot_optimization_history(single),
        "intermediate": lambda: vis.plot_intermediate_values(single),
        "parallel": lambda: vis.plot_parallel_coordinate(single),
        "slice": lambda: vis.plot_slice(single),
        "contour": lambda: vis.plot_contour(single, params=["x", "lr"]),
        "edf": lambda: vis.plot_edf(single),
        "pareto": lambda: vis.plot_pareto_front(multi),
        "hypervolume": lambda: vis.plot_hypervolume_history(multi, reference_point=data["reference"]),
        "timeline": lambda: vis.plot_timeline(single),
        "rank": lambda: vis.plot_rank(single, params=["x", "lr", "layers"]),
    }
    results = {}
    for name, f in plots.items():
        if name in skip:
            continue
        t = time.perf_counter()
        f()
        results[name] = time.perf_counter() - t
        print(f"  optuna {name}: {results[name]:.2f} s", flush=True)
        write(args.out, data, skip, results)  # after each plot: a crash keeps the ones measured


def write(out, data, skip, results):
    common.write_json(
        out,
        {
            "versions": {**common.versions(), "plotly": metadata.version("plotly")},
            "machine": common.machine(),
            "settings": {"single": len(data["single"]), "multi": len(data["multi"]), "skip": sorted(skip)},
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
