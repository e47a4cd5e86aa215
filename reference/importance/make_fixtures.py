"""Reference importances for __test__/importance.spec.ts and the core's tests.

Run with the bench venv (Optuna 5.1):
    bench/.venv/bin/python reference/importance/make_fixtures.py

Writes reference/importance/importance_reference.json: several studies made
with Optuna's RandomSampler (seeded), each with its distributions (tunekit's
space format; the same in every trial) and trials (number, value, external
parameter values), Optuna's PED-ANOVA importances
(defaults; evaluate_on_local=False; target_quantile=0.2 and region 0.5) and
Optuna's fANOVA importances for seeds 0..4.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.importance import FanovaImportanceEvaluator, PedAnovaImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

OUT = Path(__file__).with_name("importance_reference.json")
N_TRIALS = 300
FANOVA_SEEDS = [0, 1, 2, 3, 4]


def numeric(t):
    x0 = t.suggest_float("x0", -5, 5)
    x1 = t.suggest_float("x1", -5, 5)
    x2 = t.suggest_float("x2", -5, 5)
    t.suggest_float("dummy", -5, 5)
    return 10 * x0**2 + 15 * x1 + 30 * math.sin(x2)


def integer(t):
    a = t.suggest_int("a", 0, 20)
    b = t.suggest_int("b", -10, 10, step=2)
    c = t.suggest_int("c", 1, 5)
    t.suggest_int("dummy", 0, 100)
    return (a - 7) ** 2 / 4 + 3 * abs(b) + 2 * c


def log_scale(t):
    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
    units = t.suggest_int("units", 1, 1024, log=True)
    wd = t.suggest_float("wd", 1e-6, 1e-2, log=True)
    t.suggest_float("dummy", 1e-3, 1e3, log=True)
    return (math.log10(lr) + 3) ** 2 + 0.3 * math.log2(units) + 0.5 * math.log10(wd)


def categorical(t):
    opt = t.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop", "adagrad"])
    act = t.suggest_categorical("activation", ["relu", "tanh", "gelu"])
    flag = t.suggest_categorical("flag", [True, False])
    t.suggest_categorical("dummy", ["p", "q", "r"])
    return {"adam": 0.0, "sgd": 3.0, "rmsprop": 1.0, "adagrad": 2.5}[opt] + {"relu": 0.0, "tanh": 0.6, "gelu": 0.2}[act] + (0.4 if flag else 0.0)


def mixed(t):
    x = t.suggest_float("x", -3, 3)
    lr = t.suggest_float("lr", 1e-4, 1.0, log=True)
    q = t.suggest_float("q", 0.0, 1.0, step=0.1)
    n = t.suggest_int("n", 1, 8)
    k = t.suggest_categorical("kind", ["a", "b", "c"])
    t.suggest_float("fixed", 2.0, 2.0)
    t.suggest_int("dummy", 0, 50)
    return x**2 + 2 * (math.log10(lr) + 2) ** 2 + 8 * q + 1.0 * n + {"a": 0.0, "b": 4.0, "c": 1.0}[k]


def maximize(t):
    x = t.suggest_float("x", 0, 1)
    y = t.suggest_float("y", 0, 1)
    t.suggest_float("dummy", 0, 1)
    return -((x - 0.8) ** 2) * 10 - 3 * y


STUDIES = [
    ("numeric", numeric, "minimize", 1),
    ("int", integer, "minimize", 2),
    ("log", log_scale, "minimize", 3),
    ("categorical", categorical, "minimize", 4),
    ("mixed", mixed, "minimize", 5),
    ("maximize", maximize, "maximize", 6),
]


def dist_json(d):
    if isinstance(d, CategoricalDistribution):
        return {"type": "categorical", "choices": list(d.choices)}
    if isinstance(d, IntDistribution):
        return {"type": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    assert isinstance(d, FloatDistribution)
    out = {"type": "float", "low": d.low, "high": d.high, "log": d.log}
    if d.step is not None:
        out["step"] = d.step
    return out


def main() -> None:
    studies = []
    for name, objective, direction, seed in STUDIES:
        study = optuna.create_study(direction=direction, sampler=optuna.samplers.RandomSampler(seed=seed))
        study.optimize(objective, n_trials=N_TRIALS)
        distributions = {k: dist_json(d) for k, d in study.trials[0].distributions.items()}
        assert all(t.distributions == study.trials[0].distributions for t in study.trials)
        trials = [{"number": t.number, "value": t.value, "params": t.params} for t in study.trials]
        ped = {
            "default": get_param_importances(study, evaluator=PedAnovaImportanceEvaluator()),
            "global": get_param_importances(study, evaluator=PedAnovaImportanceEvaluator(evaluate_on_local=False)),
            "q0.2_r0.5": get_param_importances(study, evaluator=PedAnovaImportanceEvaluator(target_quantile=0.2, region_quantile=0.5)),
        }
        fanova = {str(s): get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=s)) for s in FANOVA_SEEDS}
        studies.append({"name": name, "direction": direction, "sampler_seed": seed, "distributions": distributions, "trials": trials, "ped_anova": ped, "fanova": fanova})
        print(name, {k: round(v, 3) for k, v in ped["default"].items()}, {k: round(v, 3) for k, v in fanova["0"].items()})
    OUT.write_text(json.dumps({"optuna": optuna.__version__, "n_trials": N_TRIALS, "studies": studies}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
