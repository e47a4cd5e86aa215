"""Fixtures for tunekit's Optuna interoperability (ts/interop/).

Writes, with Optuna's own storages, the same small history twice:
- reference/optuna_interop/journal.log: a JournalStorage file (JournalFileBackend);
- reference/optuna_interop/optuna.db: an RDBStorage SQLite file;
and what Optuna reads back from each (optuna.load_study / get_all_studies) in
reference/optuna_interop/expected.json: per study its name, directions, user
and system attributes, and per trial its number, state, params (external
values), distributions (distribution_to_json), values, intermediate values,
user and system attributes and datetimes (UTC, ISO 8601). Infinite numbers are
written as the strings "inf" / "-inf" in expected.json (plain JSON).

The history: a single-objective study ("single") with every distribution type
(float, log float, stepped float, int, log int, stepped int, categorical with
null/bool/number/string choices), COMPLETE, PRUNED, FAIL, RUNNING and WAITING
trials, intermediate values (one +inf), user and system attributes,
constraints (TPESampler's constraints_func), objective values +inf and -inf;
a two-objective study ("multi"); and a study created then deleted ("gone"),
which the journal keeps and a reader must drop.

Run: bench/.venv/bin/python bench/make_optuna_interop_fixtures.py
"""
import datetime
import json
import math
import os
import sqlite3
import warnings

import optuna
from optuna.distributions import distribution_to_json
from optuna.storages import JournalStorage, RDBStorage
from optuna.storages.journal import JournalFileBackend

OUT = "reference/optuna_interop"
CHOICES = [None, True, 3, 2.5, "adam"]

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")


def params_of(trial):
    return {
        "x": trial.suggest_float("x", -5.0, 5.0),
        "lr": trial.suggest_float("lr", 1e-5, 1e-1, log=True),
        "frac": trial.suggest_float("frac", 0.0, 1.0, step=0.25),
        "n": trial.suggest_int("n", 1, 10),
        "width": trial.suggest_int("width", 1, 1024, log=True),
        "k": trial.suggest_int("k", 0, 20, step=5),
        "c": trial.suggest_categorical("c", CHOICES),
    }


def fill(storage):
    single = optuna.create_study(
        study_name="single",
        storage=storage,
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=7, n_startup_trials=4),
    )
    single.set_user_attr("owner", "team-a")
    single.set_user_attr("notes", {"dataset": "iris", "folds": [1, 2, 3]})
    single.set_metric_names(["loss"])

    def objective(trial):
        p = params_of(trial)
        trial.set_user_attr("note", f"trial {trial.number}")
        if trial.number != 5:
            trial.set_constraint("x_limit", p["x"] - 1.0)
            trial.set_constraint("n_limit", -p["n"] * 0.5)
        if trial.number == 2:
            trial.set_user_attr("nested", {"a": [1, 2.5, None], "b": True})
        for step in range(3):
            v = (p["x"] - 1.0) ** 2 + p["n"] * 0.1 + step
            if trial.number == 4 and step == 1:
                v = math.inf
            trial.report(v, step)
        if trial.number == 3:
            raise optuna.TrialPruned()
        if trial.number == 5:
            raise RuntimeError("diverged")
        if trial.number == 6:
            return math.inf
        if trial.number == 7:
            return -math.inf
        return (p["x"] - 1.0) ** 2 + p["n"] * 0.1

    single.optimize(objective, n_trials=10, catch=(RuntimeError,))
    # RUNNING: asked, never told
    running = single.ask()
    params_of(running)
    running.set_user_attr("host", "worker-3")
    # WAITING: enqueued
    single.enqueue_trial({"x": 0.5, "n": 3, "c": "adam"}, user_attrs={"source": "manual"})

    multi = optuna.create_study(
        study_name="multi",
        storage=storage,
        directions=["minimize", "maximize"],
        # the deprecated constraints_func stores the old format: system attr "constraints" = [c0, …]
        sampler=optuna.samplers.NSGAIISampler(seed=3, constraints_func=lambda t: [t.params["a"] - 0.8]),
    )
    multi.set_user_attr("kind", "pareto")

    def objective2(trial):
        a = trial.suggest_float("a", 0.0, 1.0)
        b = trial.suggest_int("b", 1, 4)
        if trial.number == 3:
            raise RuntimeError("no result")
        if trial.number == 4:
            return a, -math.inf
        return a * b, 1.0 - a

    multi.optimize(objective2, n_trials=6, catch=(RuntimeError,))

    gone = optuna.create_study(study_name="gone", storage=storage)
    gone.optimize(lambda t: t.suggest_float("z", 0, 1), n_trials=2)
    optuna.delete_study(study_name="gone", storage=storage)


def number(v):
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return v


def iso(dt):
    if dt is None:
        return None
    # FrozenTrial datetimes are naive local time
    return dt.astimezone().astimezone(tz=datetime.timezone.utc).isoformat(timespec="microseconds")


def dump(storage):
    out = []
    for s in sorted(storage.get_all_studies(), key=lambda s: s._study_id):
        study = optuna.load_study(study_name=s.study_name, storage=storage)
        trials = []
        for t in study.get_trials(deepcopy=False):
            trials.append(
                {
                    "number": t.number,
                    "state": t.state.name,
                    "params": t.params,
                    "distributions": {k: distribution_to_json(d) for k, d in t.distributions.items()},
                    "values": None if t.values is None else [number(v) for v in t.values],
                    "intermediate_values": {str(k): number(v) for k, v in t.intermediate_values.items()},
                    "user_attrs": t.user_attrs,
                    "system_attrs": t.system_attrs,
                    "datetime_start": iso(t.datetime_start),
                    "datetime_complete": iso(t.datetime_complete),
                }
            )
        out.append(
            {
                "name": s.study_name,
                "directions": [d.name for d in s.directions],
                "user_attrs": s.user_attrs,
                "system_attrs": s.system_attrs,
                "trials": trials,
            }
        )
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    journal = f"{OUT}/journal.log"
    db = f"{OUT}/optuna.db"
    for f in (journal, db):
        if os.path.exists(f):
            os.remove(f)
    jstorage = JournalStorage(JournalFileBackend(journal))
    fill(jstorage)
    rstorage = RDBStorage(f"sqlite:///{db}")
    fill(rstorage)
    expected = {
        "optuna": optuna.__version__,
        "journal": dump(jstorage),
        "rdb": dump(rstorage),
    }
    rstorage.engine.dispose()
    # smaller pages: the same rows in a file a few times smaller (Optuna reads it unchanged)
    con = sqlite3.connect(db)
    con.execute("PRAGMA page_size = 1024")
    con.execute("VACUUM")
    con.close()
    with open(f"{OUT}/expected.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {journal}, {db}, {OUT}/expected.json with Optuna {optuna.__version__}")


if __name__ == "__main__":
    main()
