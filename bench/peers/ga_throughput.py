"""Genetic-algorithm throughput of the Python peers: generations per second.

Population 100, 30 float genes in [-5, 5], sphere fitness (minimised; the cost
of the fitness itself is negligible, so this measures the library). One run =
create and evaluate the initial population, then --generations generations;
generations per second = generations / wall time of the run. The median over
--runs runs (seeds --first-seed, +1, ...) is reported, with every run's time.

  pygad         pygad.GA(num_generations=G, sol_per_pop=100,
                num_parents_mating=50, num_genes=30, gene_space={-5..5},
                random_seed=seed), defaults otherwise (steady-state selection,
                single-point crossover, random mutation of 10% of the genes,
                keep_elitism=1); fitness = -sphere, one call per solution.
  deap          deap.algorithms.eaSimple(pop, toolbox, cxpb=0.5, mutpb=0.2,
                ngen=G) with selTournament(tournsize=3),
                cxSimulatedBinaryBounded(eta=20), mutPolynomialBounded(eta=20,
                indpb=1/30); random.seed(seed). eaSimple only re-evaluates the
                individuals that changed (about 60 of 100 per generation with
                these rates); the evaluation count is recorded.
  optuna_nsga2  optuna.samplers.NSGAIISampler(population_size=100, seed=seed),
                single objective, in-memory study, ask/tell loop with 30
                suggest_float per trial; a generation = 100 trials, so a run
                is (G + 1) * 100 trials (the first 100 are the initial random
                population).

Output JSON:
  { "versions", "machine", "settings",
    "results": { peer: { "generations_per_second": median, "seconds": [per run],
                         "evaluations": [per run] } } }

    bench/.venv/bin/python bench/peers/ga_throughput.py --generations 20 --runs 5 \\
        --out bench/results/ga_throughput_peers.json
"""
import argparse
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
from functions import sphere  # noqa: E402

POP, GENES, LO, HI = 100, 30, -5.0, 5.0
CXPB, MUTPB, ETA = 0.5, 0.2, 20.0


def run_pygad(gens, seed):
    import pygad

    count = [0]

    def fitness(ga, sol, idx):
        count[0] += 1
        return -sphere(sol.tolist())

    t0 = time.perf_counter()
    ga = pygad.GA(num_generations=gens, sol_per_pop=POP, num_parents_mating=POP // 2, num_genes=GENES,
                  gene_space=[{"low": LO, "high": HI}] * GENES, fitness_func=fitness, random_seed=seed,
                  suppress_warnings=True)
    ga.run()
    return time.perf_counter() - t0, count[0]


def run_deap(gens, seed):
    from deap import algorithms, base, creator, tools

    if not hasattr(creator, "FitnessMin"):
        creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMin)
    count = [0]

    def evaluate(ind):
        count[0] += 1
        return (sphere(ind),)

    t0 = time.perf_counter()
    random.seed(seed)
    tb = base.Toolbox()
    tb.register("individual", lambda: creator.Individual(random.uniform(LO, HI) for _ in range(GENES)))
    tb.register("evaluate", evaluate)
    tb.register("mate", tools.cxSimulatedBinaryBounded, eta=ETA, low=LO, up=HI)
    tb.register("mutate", tools.mutPolynomialBounded, eta=ETA, low=LO, up=HI, indpb=1.0 / GENES)
    tb.register("select", tools.selTournament, tournsize=3)
    pop = [tb.individual() for _ in range(POP)]
    algorithms.eaSimple(pop, tb, cxpb=CXPB, mutpb=MUTPB, ngen=gens, verbose=False)
    return time.perf_counter() - t0, count[0]


def run_optuna(gens, seed):
    import optuna

    t0 = time.perf_counter()
    study = optuna.create_study(direction="minimize",
                                sampler=optuna.samplers.NSGAIISampler(population_size=POP, seed=seed))
    names = [f"x{i:02d}" for i in range(GENES)]
    n = (gens + 1) * POP
    for _ in range(n):
        trial = study.ask()
        study.tell(trial, sphere([trial.suggest_float(k, LO, HI) for k in names]))
    return time.perf_counter() - t0, n


PEERS = {"pygad": run_pygad, "deap": run_deap, "optuna_nsga2": run_optuna}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generations", type=int, default=20, help="generations per run (default 20)")
    ap.add_argument("--runs", type=int, default=5, help="runs per peer, seeds first..first+runs-1 (default 5)")
    ap.add_argument("--first-seed", type=int, default=0, help="seed of the first run (default 0)")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated (default {','.join(PEERS)})")
    ap.add_argument("--out", required=True, help="output JSON file")
    args = ap.parse_args()
    peers = args.peers.split(",")
    for p in peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r}")
    common.quiet()

    settings = {"population": POP, "genes": GENES, "bounds": [LO, HI], "fitness": "sphere (minimise)",
                "generations": args.generations, "runs": args.runs,
                "run": "create + evaluate the initial population, then `generations` generations;"
                       " generations_per_second = generations / median run time",
                "peers": {"pygad": f"GA(sol_per_pop={POP}, num_parents_mating={POP // 2}, gene_space=box), defaults",
                          "deap": f"eaSimple(cxpb={CXPB}, mutpb={MUTPB}), selTournament(3),"
                                  f" cxSimulatedBinaryBounded(eta={ETA}), mutPolynomialBounded(eta={ETA}, indpb=1/30)",
                          "optuna_nsga2": f"NSGAIISampler(population_size={POP}), ask/tell,"
                                          " (generations + 1) * 100 trials"}}
    results = {}
    out = {"versions": common.versions(), "machine": common.machine(), "settings": settings, "results": results}
    for p in peers:
        PEERS[p](2, 0)  # warm-up: imports and first-call set-up, untimed
        runs = [PEERS[p](args.generations, seed) for seed in range(args.first_seed, args.first_seed + args.runs)]
        secs = [r[0] for r in runs]
        results[p] = {"generations_per_second": args.generations / statistics.median(secs),
                      "seconds": secs, "evaluations": [r[1] for r in runs]}
        common.write_json(args.out, out)
        print(f"  {p:13} {results[p]['generations_per_second']:9.2f} gen/s  "
              f"(runs: {', '.join(f'{s:.3f}' for s in secs)} s)", file=sys.stderr)

    common.table(f"generations per second (population {POP}, {GENES} genes, sphere; median of {args.runs} runs"
                 f" of {args.generations} generations)", peers, ["gen/s", "s/run"],
                 lambda p, c: results[p]["generations_per_second"] if c == "gen/s" else statistics.median(
                     results[p]["seconds"]), first="peer")


if __name__ == "__main__":
    main()
