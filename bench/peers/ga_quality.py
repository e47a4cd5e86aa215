"""Evolutionary-algorithm quality of the Python peers.

Single objective: the six functions of bo_quality.py (branin, hartmann6,
ackley5, rosenbrock4, levy6, styblinski_tang4), a budget of --so-evals (1000)
evaluations per run; recorded: the final simple regret, i.e. the best value
among the first 1000 evaluations minus the known minimum.

  optuna_nsga2   optuna.samplers.NSGAIISampler(seed=s): library defaults,
                 population_size=50, UniformCrossover, crossover_prob=0.9,
                 mutation_prob=1/n_params.
  optuna_cmaes   optuna.samplers.CmaEsSampler(seed=s): library defaults (one
                 random startup trial, sigma0 = range/6, popsize 4+3 ln(d),
                 no restarts).
  pygad          pygad.GA(sol_per_pop=50, num_parents_mating=25,
                 gene_space=[{"low", "high"}] per gene, random_seed=s) and
                 otherwise defaults: steady-state selection ("sss"),
                 single-point crossover, random mutation of 10% of the genes
                 (at least one; with a gene_space the new value is drawn from
                 the gene's range), keep_elitism=1. Fitness = -f.
  deap           the loop of deap.algorithms.eaSimple (select, varAnd,
                 evaluate the changed individuals), written out so that it can
                 stop on the evaluation budget: population 50, cxpb=0.5,
                 mutpb=0.2 (the values of DEAP's eaSimple examples),
                 selTournament(tournsize=3), cxSimulatedBinaryBounded(eta=20),
                 mutPolynomialBounded(eta=20, indpb=1/d) (the operators of
                 DEAP's own NSGA-II example). Seeded with random.seed(s).

The GAs are run until they have spent the budget; evaluations past it (the
rest of the last generation) are not counted.

Two objectives: ZDT1, ZDT2, ZDT3 with 30 variables in [0, 1], a budget of
--mo-evals (10 000) evaluations; recorded: the hypervolume w.r.t. (1.1, 1.1) of
the non-dominated set of all the run's evaluations ("hv"), the same for the set
the library returns as its answer ("hv_library": pymoo's res.F, i.e. the
non-dominated part of the final population; Optuna's study.best_trials, which
is the same as "hv"), and hv_opt - hv ("hv_gap", against the true front).

  pymoo_nsga2    pymoo.algorithms.moo.nsga2.NSGA2(pop_size=100), defaults
                 (SBX eta=15 prob 0.9, polynomial mutation eta=20,
                 eliminate_duplicates=True), termination ("n_eval", 10000),
                 seed=s, on an ElementwiseProblem calling functions.py.
  optuna_nsga2   NSGAIISampler(population_size=100, seed=s), defaults
                 otherwise, 10000 trials. (About 6 ms per trial here, a
                 minute per run, so all seeds are run.)

The hypervolume is computed exactly in 2-D (common.hypervolume_2d: sort the
non-dominated points by f1 and add up rectangles) and checked against
pymoo.indicators.hv.HV on every result.

Runs are separate tasks, in --jobs processes (at most 2, one BLAS thread each;
results do not depend on it). The output file is rewritten after every run and
resumed if it exists with the same budgets.

Output JSON:
  { "versions", "settings",
    "results": { fn: { peer: { "regret": [per seed], "seconds": [...] } },     # single objective
                 zdt: { peer: { "hv": [...], "hv_library": [...], "hv_gap": [...],
                                "evals": [...], "seconds": [...] } } },
    "summary": medians of the same }

    bench/.venv/bin/python bench/peers/ga_quality.py --jobs 2 --out bench/results/ga_quality_peers.json
"""
import argparse
import math
import multiprocessing as mp
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)

import numpy as np  # noqa: E402

from functions import BO_FUNCTIONS, FUNCTIONS, ZDT_FUNCTIONS  # noqa: E402

SO_PEERS = ["optuna_nsga2", "optuna_cmaes", "pygad", "deap"]
MO_PEERS = ["pymoo_nsga2", "optuna_nsga2"]
GA_POP = 50          # population of the single-objective GAs (Optuna's NSGA-II default)
DEAP_CXPB, DEAP_MUTPB, DEAP_ETA = 0.5, 0.2, 20.0


class BudgetExhausted(Exception):
    pass


class Recorder:
    """Wraps f(x); keeps the values of the first `budget` evaluations."""

    def __init__(self, f, budget):
        self.f, self.budget = f, budget
        self.values = []
        self.calls = 0

    def __call__(self, x):
        v = self.f([float(t) for t in x])
        self.calls += 1
        if len(self.values) < self.budget:
            self.values.append(v)
        return v

    @property
    def spent(self):
        return len(self.values) >= self.budget


# ---------------------------------------------------------------- single objective peers

def so_optuna(spec, rec, seed, kind):
    import optuna

    common.quiet()
    sampler = (optuna.samplers.NSGAIISampler(seed=seed) if kind == "nsga2"
               else optuna.samplers.CmaEsSampler(seed=seed))
    study = optuna.create_study(sampler=sampler, direction="minimize")
    bounds = spec["bounds"]
    study.optimize(lambda t: rec([t.suggest_float(f"x{i:02d}", lo, hi) for i, (lo, hi) in enumerate(bounds)]),
                   n_trials=rec.budget)


def so_pygad(spec, rec, seed):
    import pygad

    ga = pygad.GA(
        num_generations=10 * rec.budget,  # upper bound; on_generation stops once the budget is spent
        num_parents_mating=GA_POP // 2,
        sol_per_pop=GA_POP,
        num_genes=spec["dim"],
        gene_space=[{"low": lo, "high": hi} for lo, hi in spec["bounds"]],
        fitness_func=lambda ga, sol, idx: -rec(sol),  # PyGAD maximises
        on_generation=lambda ga: "stop" if rec.spent else None,
        random_seed=seed,
        suppress_warnings=True,
    )
    ga.run()


def so_deap(spec, rec, seed):
    from deap import base, creator, tools

    if not hasattr(creator, "FitnessMin"):
        creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMin)
    random.seed(seed)
    lo = [b[0] for b in spec["bounds"]]
    hi = [b[1] for b in spec["bounds"]]
    d = spec["dim"]
    tb = base.Toolbox()
    tb.register("individual", lambda: creator.Individual(random.uniform(a, b) for a, b in zip(lo, hi)))
    tb.register("evaluate", lambda ind: (rec(ind),))
    tb.register("mate", tools.cxSimulatedBinaryBounded, eta=DEAP_ETA, low=lo, up=hi)
    tb.register("mutate", tools.mutPolynomialBounded, eta=DEAP_ETA, low=lo, up=hi, indpb=1.0 / d)
    tb.register("select", tools.selTournament, tournsize=3)
    deap_ea_simple(tb, [tb.individual() for _ in range(GA_POP)], rec)


def deap_ea_simple(tb, pop, rec):
    """deap.algorithms.eaSimple without statistics/hall of fame, stopping on the budget."""
    from deap import algorithms

    for ind in pop:
        ind.fitness.values = tb.evaluate(ind)
    while not rec.spent:
        offspring = tb.select(pop, len(pop))
        offspring = algorithms.varAnd(offspring, tb, DEAP_CXPB, DEAP_MUTPB)
        for ind in offspring:
            if not ind.fitness.valid:
                ind.fitness.values = tb.evaluate(ind)
        pop[:] = offspring


# ---------------------------------------------------------------- two-objective peers

def mo_pymoo(spec, rec, seed):
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.problem import ElementwiseProblem
    from pymoo.optimize import minimize

    class Problem(ElementwiseProblem):
        def __init__(self):
            super().__init__(n_var=spec["dim"], n_obj=2, xl=np.array([b[0] for b in spec["bounds"]]),
                             xu=np.array([b[1] for b in spec["bounds"]]))

        def _evaluate(self, x, out, *args, **kwargs):
            out["F"] = rec(x)

    res = minimize(Problem(), NSGA2(pop_size=100), ("n_eval", rec.budget), seed=seed, verbose=False)
    return [tuple(f) for f in res.F]


def mo_optuna(spec, rec, seed):
    import optuna

    common.quiet()
    study = optuna.create_study(directions=["minimize", "minimize"],
                                sampler=optuna.samplers.NSGAIISampler(population_size=100, seed=seed))
    study.optimize(lambda t: tuple(rec([t.suggest_float(f"x{i:02d}", 0.0, 1.0) for i in range(spec["dim"])])),
                   n_trials=rec.budget)
    return [tuple(t.values) for t in study.best_trials]


# ---------------------------------------------------------------- one run

def run_one(task):
    fn, peer, seed, budget = task
    common.quiet()
    spec = FUNCTIONS[fn]
    rec = Recorder(spec["f"], budget)
    t0 = time.perf_counter()
    if spec["n_obj"] == 1:
        {"optuna_nsga2": lambda: so_optuna(spec, rec, seed, "nsga2"),
         "optuna_cmaes": lambda: so_optuna(spec, rec, seed, "cmaes"),
         "pygad": lambda: so_pygad(spec, rec, seed),
         "deap": lambda: so_deap(spec, rec, seed)}[peer]()
        seconds = time.perf_counter() - t0
        if not rec.spent:
            raise RuntimeError(f"{fn}/{peer}/{seed}: only {len(rec.values)} evaluations")
        return task, {"regret": min(rec.values) - spec["optimum"], "seconds": seconds, "calls": rec.calls}

    answer = {"pymoo_nsga2": mo_pymoo, "optuna_nsga2": mo_optuna}[peer](spec, rec, seed)
    seconds = time.perf_counter() - t0
    hv = common.hypervolume_2d(rec.values)
    hv_lib = common.hypervolume_2d(answer)
    # Cross-check the exact 2-D hypervolume against pymoo's indicator.
    from pymoo.indicators.hv import HV
    ref_hv = HV(ref_point=np.array([1.1, 1.1]))
    for mine, pts in ((hv, rec.values), (hv_lib, answer)):
        theirs = float(ref_hv(np.array(pts, dtype=float)))
        assert abs(mine - theirs) <= 1e-9 * max(1.0, theirs), (mine, theirs)
    return task, {"hv": hv, "hv_library": hv_lib, "hv_gap": spec["hv_opt"] - hv, "evals": len(rec.values),
                  "seconds": seconds, "calls": rec.calls}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--so-evals", type=int, default=1000, help="single-objective budget (default 1000)")
    ap.add_argument("--mo-evals", type=int, default=10000, help="two-objective budget (default 10000)")
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    ap.add_argument("--mo-seeds", type=int, default=None,
                    help="seeds for the two-objective runs (default: --seeds)")
    ap.add_argument("--functions", default=",".join(BO_FUNCTIONS + ZDT_FUNCTIONS),
                    help="comma-separated (default: the six BO functions and zdt1,zdt2,zdt3)")
    ap.add_argument("--peers", default=None, help="comma-separated subset of "
                    f"{','.join(SO_PEERS)} / {','.join(MO_PEERS)} (default all)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes, at most 2 (default 1)")
    ap.add_argument("--out", required=True, help="output JSON file (resumed if it exists)")
    args = ap.parse_args()
    functions = args.functions.split(",")
    for fn in functions:
        if fn not in FUNCTIONS or fn == "sphere":
            ap.error(f"unknown function {fn!r}")
    wanted = set(args.peers.split(",")) if args.peers else None
    so_seeds = list(range(args.seeds))
    mo_seeds = list(range(args.mo_seeds if args.mo_seeds is not None else args.seeds))

    settings = {
        "so_evals": args.so_evals, "mo_evals": args.mo_evals, "so_seeds": so_seeds, "mo_seeds": mo_seeds,
        "jobs": args.jobs, "threads_per_process": 1, "hv_reference": [1.1, 1.1],
        "peers": {
            "optuna_nsga2 (single)": "NSGAIISampler(seed=seed), defaults (population_size=50)",
            "optuna_cmaes": "CmaEsSampler(seed=seed), defaults",
            "pygad": f"GA(sol_per_pop={GA_POP}, num_parents_mating={GA_POP // 2}, gene_space=box, random_seed=seed),"
                     " defaults otherwise: parent_selection_type='sss', crossover_type='single_point',"
                     " mutation_type='random' (10% of genes, value from gene_space), keep_elitism=1",
            "deap": f"eaSimple loop, pop {GA_POP}, cxpb={DEAP_CXPB}, mutpb={DEAP_MUTPB}, selTournament(3),"
                    f" cxSimulatedBinaryBounded(eta={DEAP_ETA}), mutPolynomialBounded(eta={DEAP_ETA}, indpb=1/d),"
                    " random.seed(seed)",
            "pymoo_nsga2": "NSGA2(pop_size=100), defaults, termination ('n_eval', mo_evals), seed=seed",
            "optuna_nsga2 (two objectives)": "NSGAIISampler(population_size=100, seed=seed), defaults",
        },
        "regret": "best of the first so_evals evaluations minus the known minimum",
        "hv": "exact 2-D hypervolume w.r.t. hv_reference of the non-dominated set of the first mo_evals"
              " evaluations; hv_library: of the set the library returns (pymoo res.F, Optuna best_trials);"
              " hv_gap = hv of the true front (functions.py hv_opt) - hv",
        "seconds": "wall time of the run, objective included",
    }

    old = common.read_json(args.out)
    results = {}
    if old and all(old.get("settings", {}).get(k) == settings[k] for k in ("so_evals", "mo_evals")):
        results = old.get("results", {})

    tasks = []
    for fn in functions:
        mo = FUNCTIONS[fn]["n_obj"] == 2
        peers = [p for p in (MO_PEERS if mo else SO_PEERS) if wanted is None or p in wanted]
        seeds = mo_seeds if mo else so_seeds
        keys = ("hv", "hv_library", "hv_gap", "evals", "seconds") if mo else ("regret", "seconds")
        for p in peers:
            entry = results.setdefault(fn, {}).setdefault(p, {})
            for k in keys:
                entry[k] = (entry.get(k, []) + [None] * len(seeds))[:len(seeds)]
            tasks += [(fn, p, s, args.mo_evals if mo else args.so_evals) for s in seeds if entry["seconds"][s] is None]

    def save():
        summary = {fn: {p: {k: common.median(v) for k, v in r.items()} for p, r in pr.items()}
                   for fn, pr in results.items()}
        common.write_json(args.out, {"versions": common.versions(), "machine": common.machine(),
                                     "settings": settings, "results": results, "summary": summary})

    def record(task, res):
        fn, p, s, _ = task
        for k, v in res.items():
            if k in results[fn][p]:
                results[fn][p][k][s] = v
        save()
        shown = ", ".join(f"{k} {v:.4g}" for k, v in res.items())
        print(f"  {fn:17} {p:13} seed {s}: {shown}", file=sys.stderr)

    print(f"{len(tasks)} runs to do ({args.jobs} process(es))", file=sys.stderr)
    t_start = time.perf_counter()
    if args.jobs > 1:
        with mp.get_context("spawn").Pool(min(args.jobs, 2)) as pool:
            for task, res in pool.imap_unordered(run_one, tasks):
                record(task, res)
    else:
        for task in tasks:
            record(*run_one(task))
    save()
    print(f"done in {time.perf_counter() - t_start:.0f} s", file=sys.stderr)

    so_fns = [f for f in functions if FUNCTIONS[f]["n_obj"] == 1]
    mo_fns = [f for f in functions if FUNCTIONS[f]["n_obj"] == 2]
    med = lambda fn, p, k: common.median(results[fn].get(p, {}).get(k, [])) if p in results[fn] else None  # noqa: E731
    if so_fns:
        common.table(f"median regret after {args.so_evals} evaluations", so_fns, SO_PEERS,
                     lambda fn, p: med(fn, p, "regret"), first="function")
        common.table("median seconds per run", so_fns, SO_PEERS, lambda fn, p: med(fn, p, "seconds"), first="function")
    if mo_fns:
        cols = [f"{p}:{k}" for p in MO_PEERS for k in ("hv", "hv_library", "seconds")]
        common.table(f"median hypervolume w.r.t. (1.1, 1.1) after {args.mo_evals} evaluations (true front: "
                     + ", ".join(f"{f} {FUNCTIONS[f]['hv_opt']:.4f}" for f in mo_fns) + ")",
                     mo_fns, cols, lambda fn, c: med(fn, *c.split(":")), first="function")


if __name__ == "__main__":
    main()
