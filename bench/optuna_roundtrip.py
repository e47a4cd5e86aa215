"""tunekit ↔ Optuna round trip through Optuna itself (and optuna-dashboard if installed).

1. tunekit → Optuna: a tunekit study (every distribution kind, constraints,
   PRUNED, FAIL, WAITING trials, ±inf intermediate values) is run with the built
   package, exported with `tunekit export --format optuna-journal`, and opened
   with `optuna.load_study`: trial count, states, params, values, intermediate
   values and the best value (Optuna's, among feasible trials) must equal
   tunekit's (`tunekit best`).
2. Optuna → tunekit → Optuna: Optuna's own journal fixture
   (reference/optuna_interop/journal.log) and SQLite file (optuna.db) are
   imported with `tunekit import`, exported again, and opened with Optuna:
   every trial equals the original, field for field (datetimes included).
3. optuna-dashboard (`bench/.venv/bin/pip install optuna-dashboard`): its WSGI
   app, opened on the exported journal file as `optuna-dashboard FILE` does,
   answers /api/studies and /api/studies/<id> with the same trials.

Needs the built package (npm run build). Run:
    bench/.venv/bin/python bench/optuna_roundtrip.py
Prints one line per check and a JSON summary; exits 1 if a check fails.
"""
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import optuna
from optuna.storages import JournalStorage, RDBStorage
from optuna.storages.journal import JournalFileBackend

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "dist", "cli.js")
FIXTURES = os.path.join(ROOT, "reference", "optuna_interop")

MAKE_STUDY = r"""
import { createStudy, TPESampler, closeStorages } from '%s';
const study = await createStudy({ name: 'tk', storage: process.argv[2], direction: 'minimize', sampler: new TPESampler({ seed: 5 }) });
await study.optimize(async (t) => {
  const x = t.suggestFloat('x', -3, 3);
  const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
  const q = t.suggestFloat('q', 0, 2, { step: 0.5 });
  const n = t.suggestInt('n', 1, 9);
  const w = t.suggestInt('w', 1, 256, { log: true });
  const k = t.suggestInt('k', 0, 30, { step: 3 });
  const c = t.suggestCategorical('c', ['relu', null, true, 4, 0.5]);
  await t.setUserAttr('tag', { n, c });
  t.setConstraint('x_max', x - 2);
  const v = (x - 0.5) ** 2 + Math.log10(lr) ** 2 / 10 + q + n / 10 + Math.log2(w) / 10 + k / 100 + (c === 'relu' ? 0 : 0.3);
  await t.report(v + 1, 0);
  await t.report(t.number === 7 ? Infinity : v + 0.5, 1);
  if (t.number === 5) throw new Error('boom');
  if (t.number %% 6 === 3) { const { TrialPruned } = await import('%s'); throw new TrialPruned(); }
  return v;
}, { nTrials: 40, catch: [Error] });
await study.enqueueTrial({ x: 0.5, n: 2 });
await closeStorages();
"""

failures = []


def check(name, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}")
    if not ok:
        failures.append(name)


def tunekit(*args, cwd):
    r = subprocess.run(["node", CLI, *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"tunekit {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def journal(path):
    return JournalStorage(JournalFileBackend(path))


def same_number(a, b):
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def trial_view(t):
    return {
        "number": t.number,
        "state": t.state.name,
        "params": t.params,
        "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
        "values": t.values,
        "intermediate_values": t.intermediate_values,
        "user_attrs": t.user_attrs,
        "system_attrs": t.system_attrs,
        "datetime_start": t.datetime_start,
        "datetime_complete": t.datetime_complete,
    }


def dashboard_check(path, expected_counts):
    try:
        import optuna_dashboard
    except ImportError:
        print("skip optuna-dashboard (not installed: bench/.venv/bin/pip install optuna-dashboard)")
        return None
    app = optuna_dashboard.wsgi(path)

    def get(url):
        from wsgiref.util import setup_testing_defaults

        env = {"PATH_INFO": url, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
        setup_testing_defaults(env)
        status = []
        body = b"".join(app(env, lambda s, h, *a: status.append(s)))
        return status[0], json.loads(body)

    status, studies = get("/api/studies")
    check("optuna-dashboard /api/studies", status.startswith("200"), f"{status}, {[s['study_name'] for s in studies['study_summaries']]}")
    counts = {}
    for s in studies["study_summaries"]:
        status, detail = get(f"/api/studies/{s['study_id']}")
        counts[s["study_name"]] = len(detail["trials"])
        check(f"optuna-dashboard /api/studies/{s['study_id']} ({s['study_name']})", status.startswith("200") and counts[s["study_name"]] == expected_counts[s["study_name"]], f"{counts[s['study_name']]} trials, best {[t['values'] for t in detail['best_trials']]}")
    return {"version": optuna_dashboard.__version__, "trials": counts}


def main():
    summary = {"optuna": optuna.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        # 1. tunekit → Optuna
        db = f"sqlite:{os.path.join(tmp, 'tk.db')}"
        index = os.path.join(ROOT, "dist", "index.js")
        script = os.path.join(tmp, "make.mjs")
        with open(script, "w") as f:
            f.write(MAKE_STUDY % (index, index))
        subprocess.run(["node", script, db], check=True, cwd=tmp)
        best = json.loads(tunekit("best", "tk", "--storage", db, cwd=tmp).splitlines()[0])
        rows = tunekit("export", "tk", "--format", "json", "--storage", db, cwd=tmp)
        tk_rows = json.loads(rows)
        out = os.path.join(tmp, "tk.log")
        tunekit("export", "tk", "--format", "optuna-journal", "--output", out, "--storage", db, cwd=tmp)
        study = optuna.load_study(study_name="tk", storage=journal(out))
        trials = study.trials
        check("load_study: trial count", len(trials) == len(tk_rows), f"{len(trials)} (tunekit {len(tk_rows)})")
        check("load_study: states", [t.state.name for t in trials] == [r["state"] for r in tk_rows])
        tk_params = [{k[len("params_"):]: v for k, v in r.items() if k.startswith("params_") and v is not None} for r in tk_rows]
        # a WAITING trial's values travel in fixed_params, as Optuna's enqueue_trial stores them
        check(
            "load_study: params",
            all((t.system_attrs.get("fixed_params") if t.state.name == "WAITING" else t.params) == p for t, p in zip(trials, tk_params)),
        )
        check("load_study: values", all(same_number(t.value, (float(r["value"]) if isinstance(r["value"], str) else r["value"])) for t, r in zip(trials, tk_rows)))
        check("load_study: best value (feasible trials)", study.best_value == best["values"][0] and study.best_trial.number == best["number"], f"{study.best_value} at trial {study.best_trial.number} (tunekit {best['values'][0]} at {best['number']})")
        check("load_study: intermediate ±inf", trials[7].intermediate_values.get(1) == math.inf, str(trials[7].intermediate_values))
        check("load_study: constraints", trials[0].constraints == {"x_max": trials[0].params["x"] - 2}, str(trials[0].constraints))
        summary["tunekit_to_optuna"] = {"trials": len(trials), "best_value": study.best_value, "best_number": study.best_trial.number, "states": {s: sum(t.state.name == s for t in trials) for s in ["COMPLETE", "PRUNED", "FAIL", "WAITING", "RUNNING"]}}
        # optuna can continue the study in the exported file
        complete = sum(t.state.name == "COMPLETE" for t in trials)
        study.optimize(lambda t: (t.suggest_float("x", -3, 3) - 0.5) ** 2 + t.suggest_int("n", 1, 9) / 10, n_trials=2)
        resumed = optuna.load_study(study_name="tk", storage=journal(out)).trials
        check(
            "optuna continues the exported study (the enqueued trial first)",
            sum(t.state.name == "COMPLETE" for t in resumed) == complete + 2 and resumed[-2].params == {"x": 0.5, "n": 2},
            f"{len(resumed)} trials, enqueued trial ran with {resumed[-2].params}",
        )

        # 2. Optuna → tunekit → Optuna
        for name, src, original in [
            ("journal", os.path.join(FIXTURES, "journal.log"), journal(os.path.join(FIXTURES, "journal.log"))),
            ("sqlite", os.path.join(FIXTURES, "optuna.db"), RDBStorage(f"sqlite:///{os.path.join(FIXTURES, 'optuna.db')}")),
        ]:
            db2 = f"sqlite:{os.path.join(tmp, name + '.db')}"
            tunekit("import", src, "--storage", db2, cwd=tmp)
            names = [s.study_name for s in original.get_all_studies()]
            back = os.path.join(tmp, f"back-{name}.log")
            lines = []
            for s in names:
                lines += tunekit("export", s, "--format", "optuna-journal", "--storage", db2, cwd=tmp).splitlines()
            # one file with both studies: renumber the study ids of the second export
            fixed, sid = [], -1
            for line in lines:
                rec = json.loads(line)
                if rec["op_code"] == 0:
                    sid += 1
                if "study_id" in rec:
                    rec["study_id"] = sid
                fixed.append(json.dumps(rec, separators=(",", ":")))
            with open(back, "w") as f:
                f.write("\n".join(fixed) + "\n")
            again = journal(back)
            for s in names:
                a = [trial_view(t) for t in optuna.load_study(study_name=s, storage=original).trials]
                b = [trial_view(t) for t in optuna.load_study(study_name=s, storage=again).trials]
                diffs = [(x["number"], k) for x, y in zip(a, b) for k in x if not (x[k] == y[k] or (k == "values" and x[k] is not None and all(same_number(p, q) for p, q in zip(x[k], y[k]))))]
                check(f"{name} fixture → tunekit → Optuna: study {s!r} trials equal field for field", len(a) == len(b) and not diffs, f"{len(b)} trials" + (f", differences {diffs[:5]}" if diffs else ""))
            ostudy = optuna.load_study(study_name="single", storage=original)
            bstudy = optuna.load_study(study_name="single", storage=again)
            check(f"{name} fixture round trip: best trial", ostudy.best_trial.number == bstudy.best_trial.number and ostudy.best_value == bstudy.best_value, f"{bstudy.best_value} at {bstudy.best_trial.number}")
            sys_a = original.get_study_system_attrs(ostudy._study_id)
            sys_b = again.get_study_system_attrs(bstudy._study_id)
            check(f"{name} fixture round trip: study attrs", ostudy.user_attrs == bstudy.user_attrs and sys_a == sys_b and ostudy.metric_names == bstudy.metric_names, f"{sys_b}")
            if name == "journal":
                summary["dashboard"] = dashboard_check(back, {s: len(optuna.load_study(study_name=s, storage=again).trials) for s in names})
        summary["dashboard_tunekit_study"] = dashboard_check(out, {"tk": len(resumed)})
    summary["failures"] = failures
    print(json.dumps(summary, default=str))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
