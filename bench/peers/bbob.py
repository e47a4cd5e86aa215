"""High dimensions: the Python CMA-ES peers on COCO's BBOB functions.

For each BBOB function (problems.py: ``bbob/f<k>/d<D>/i<j>``, value
f(x) - f_opt on [-5, 5]^D) and seed s, run on instance s + 1 with a budget of
--per-dim · D evaluations, the final best f - f_opt is recorded.

Peers:
  optuna_cmaes  optuna.samplers.CmaEsSampler(seed=s) with its defaults (mean at
                the centre of the box, sigma0 = range / 6, population
                4 + ⌊3 ln D⌋, no restarts; the first trial is random), one
                suggest_float per coordinate, --per-dim · D trials.
  cmaes_pkg     cmaes.CMA(mean=centre, sigma=range / 6, bounds=box, seed=s),
                ask/tell by generations until the budget is spent (the last
                generation is cut at the budget; it is not told).
  random        numpy default_rng(s) uniform over the box.

    bench/.venv/bin/python bench/peers/bbob.py --functions 1,2,8,10,15 --dims 10,20,40 \\
        --seeds 5 --per-dim 100 --jobs 2 --out bench/results/bbob_peers.json
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)

import runner  # noqa: E402
from problems import BbobProblem, parse_bbob  # noqa: E402

PEERS = ["optuna_cmaes", "cmaes_pkg", "random"]


def problem_name(f, d, seed):
    # One problem name per (function, dimension); the instance follows the seed.
    return f"bbob/f{f}/d{d}/i{seed + 1}"


def run_bbob(problem, peer, seed, budget):
    import numpy as np

    f, d, _ = parse_bbob(f"{problem}/i0")  # "bbob/f<k>/d<D>": the instance follows the seed
    p = BbobProblem(problem_name(f, d, seed))
    lo, hi = np.array(p.lower), np.array(p.upper)
    best = float("inf")
    if peer == "optuna_cmaes":
        import optuna

        common.quiet()
        study = optuna.create_study(sampler=runner.optuna_sampler("optuna_cmaes", seed), direction="minimize")
        study.optimize(lambda t: p.evaluate({q["name"]: runner.optuna_suggest(t, q) for q in p.space}), n_trials=budget)
        best = study.best_value
    elif peer == "cmaes_pkg":
        from cmaes import CMA

        opt = CMA(mean=(lo + hi) / 2, sigma=float(np.min(hi - lo)) / 6, bounds=np.stack([lo, hi], axis=1), seed=seed)
        used = 0
        while used < budget:
            sols = []
            for _ in range(opt.population_size):
                x = opt.ask()
                v = p.evaluate_vector(x)
                used += 1
                best = min(best, v)
                sols.append((x, v))
                if used == budget:
                    break
            if len(sols) == opt.population_size:
                opt.tell(sols)
    elif peer == "random":
        rng = np.random.default_rng(seed)
        for x in rng.uniform(lo, hi, size=(budget, d)):
            best = min(best, p.evaluate_vector(x))
    else:
        raise ValueError(peer)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--functions", default="1,2,8,10,15")
    ap.add_argument("--dims", default="10,20,40")
    ap.add_argument("--per-dim", type=int, default=100, help="evaluations per dimension (default 100)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    peers = args.peers.split(",")
    fns = [int(f) for f in args.functions.split(",")]
    dims = [int(d) for d in args.dims.split(",")]
    settings = {"per_dim": args.per_dim, "instances": "seed + 1",
                "peers": {"optuna_cmaes": "CmaEsSampler(seed) defaults", "cmaes_pkg": "CMA(mean=centre, sigma=range/6, bounds, seed) ask/tell",
                          "random": "uniform"}}
    results = {}
    for d in dims:
        # One budget per dimension: drive() keeps one file per budget, so one file per dimension.
        problems = [f"bbob/f{f}/d{d}" for f in fns]
        out = args.out.replace(".json", f"_d{d}.json")
        results.update(runner.drive(run_bbob, problems, peers, range(args.seeds),
                                    args.per_dim * d, args.jobs, out, settings, label=f"D={d}: "))
    common.write_json(args.out, {"versions": common.versions(), "machine": common.machine(),
                                 "settings": dict(settings, seeds=args.seeds, functions=fns, dims=dims), "results": results})
    common.table("median final f - f_opt", list(results), peers,
                 lambda pr, p: common.median(results[pr][p]["best"][:args.seeds]), first="problem")


if __name__ == "__main__":
    main()
