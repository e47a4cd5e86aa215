"""Evaluation server: the Node side's access to the objectives of problems.py.

Reads one JSON request per line on stdin and writes one JSON answer per line
on stdout (bench/eval_bridge.mjs spawns it with an argument array and talks
to it):

  {"op": "open", "problem": "hpobench/car", "seed": 3}
      -> {"space": [...], "direction": "maximize"}  (the problem is loaded once
         and reseeded: a run with this seed starts, as on the Python side)
  {"op": "eval", "problem": "hpobench/car", "params": {...}}  -> {"value": 0.93}
  {"op": "truth", "problem": "hpobench/car", "params": {...}}  -> {"value": 0.91}
         (tabular problems: the mean over the table's repeated runs, no noise)
  {"op": "evalv", "problem": "bbob/f1/d10/i1", "x": [...]}     -> {"value": 12.5}
  {"op": "evale", "problem": "hpobench/car", "params": {...}, "epoch": 3, "seed": 0}
      -> {"value": 0.71}  (tabular problems: the synthetic learning curve of
         problems.py at that epoch, for the run with that seed)
  anything that fails                                           -> {"error": "..."}

It ends when stdin closes.
"""
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

common.limit_threads(1)
warnings.filterwarnings("ignore")

from problems import make_problem  # noqa: E402


def main():
    problems = {}
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            name = req["problem"]
            p = problems.get(name)
            if p is None:
                p = problems[name] = make_problem(name)
            op = req["op"]
            if op == "open":
                p.reseed(req.get("seed"))
                ans = {"space": p.space, "direction": p.direction}
            elif op == "eval":
                ans = {"value": p.evaluate(req["params"])}
            elif op == "truth":
                ans = {"value": p.truth(req["params"])}
            elif op == "evale":
                ans = {"value": p.evaluate_at(req["params"], req["epoch"], req["seed"])}
            elif op == "evalv":
                ans = {"value": p.evaluate_vector(req["x"])}
            else:
                ans = {"error": f"unknown op {op!r}"}
        except Exception as e:  # an answer, never a dead server
            ans = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(ans) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
