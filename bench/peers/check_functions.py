"""Check that bench/functions.mjs and bench/peers/functions.py agree.

Evaluates every function of both files on the same 100 random points per
function (uniform in its bounds, numpy seed 20240601) and asserts that the
values agree to 1e-12 relative: |a - b| <= 1e-12 * max(|a|, |b|). Also checks
each single-objective function's stated optimum against its known minimiser,
the registries (names, dims, bounds, optima) and a few extra points (minimisers,
box corners) where values are small.

    bench/.venv/bin/python bench/peers/check_functions.py     # exits 1 on failure
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from functions import FUNCTIONS  # noqa: E402

REL_TOL = 1e-12

# Known minimisers, to check the stated optimum values (to 1e-9 absolute).
MINIMISERS = {
    "branin": [math.pi, 2.275],
    "hartmann6": [0.2016895119078015, 0.15001069683138535, 0.47687397016442157,
                  0.2753324299567929, 0.3116516147013327, 0.6573005342515699],
    "ackley5": [0.0] * 5,
    "rosenbrock4": [1.0] * 4,
    "levy6": [1.0] * 6,
    "styblinski_tang4": [-2.9035340286201765] * 4,
    "sphere": [0.0] * 30,
}


def js_registry():
    """dims, bounds, optima and hvOpt as the JS module states them."""
    code = ("import { FUNCTIONS } from './bench/functions.mjs';"
            "const o = {}; for (const [k, v] of Object.entries(FUNCTIONS))"
            " o[k] = { dim: v.dim, bounds: v.bounds, optimum: v.optimum, nObj: v.nObj, hvOpt: v.hvOpt ?? null };"
            "process.stdout.write(JSON.stringify(o));")
    root = os.path.dirname(os.path.dirname(HERE))
    res = subprocess.run(["node", "--input-type=module", "-e", code], cwd=root,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=100, help="random points per function (default 100)")
    ap.add_argument("--seed", type=int, default=20240601, help="numpy seed (default 20240601)")
    args = ap.parse_args()

    failures = []
    rng = np.random.default_rng(args.seed)
    points = {}
    for name, spec in FUNCTIONS.items():
        lo = np.array([b[0] for b in spec["bounds"]])
        hi = np.array([b[1] for b in spec["bounds"]])
        xs = rng.uniform(lo, hi, size=(args.points, spec["dim"])).tolist()
        xs.append(lo.tolist())
        xs.append(hi.tolist())
        if name in MINIMISERS:
            xs.append(MINIMISERS[name])
        points[name] = xs

    # Same registry on both sides.
    reg = js_registry()
    if sorted(reg) != sorted(FUNCTIONS):
        failures.append(f"names differ: js {sorted(reg)} py {sorted(FUNCTIONS)}")
    for name, spec in FUNCTIONS.items():
        j = reg.get(name)
        if j is None:
            continue
        py = {"dim": spec["dim"], "bounds": [list(b) for b in spec["bounds"]], "optimum": spec["optimum"],
              "nObj": spec["n_obj"], "hvOpt": spec.get("hv_opt")}
        if j != py:
            failures.append(f"{name}: registry differs: js {j} py {py}")

    # Values: JS through the helper script, Python here.
    res = subprocess.run(["node", os.path.join(HERE, "check_functions.mjs")], input=json.dumps(points),
                         capture_output=True, text=True, check=True)
    js_values = json.loads(res.stdout)
    worst = {}
    for name, xs in points.items():
        f = FUNCTIONS[name]["f"]
        worst[name] = 0.0
        for x, jv in zip(xs, js_values[name]):
            pv = f(x)
            pvs = pv if isinstance(pv, list) else [pv]
            jvs = jv if isinstance(jv, list) else [jv]
            for a, b in zip(pvs, jvs):
                scale = max(abs(a), abs(b))
                rel = 0.0 if a == b else abs(a - b) / scale
                worst[name] = max(worst[name], rel)
                if rel > REL_TOL:
                    failures.append(f"{name}: x={x}: python {a!r} js {b!r} (rel {rel:.2e})")

    # Stated optima against the known minimisers.
    for name, x in MINIMISERS.items():
        spec = FUNCTIONS[name]
        v = spec["f"](x)
        if abs(v - spec["optimum"]) > 1e-9:
            failures.append(f"{name}: f(x*) = {v!r} but optimum is {spec['optimum']!r}")

    n = args.points + 2
    print(f"{'function':18} {'points':>6} {'max rel diff':>13}", file=sys.stderr)
    for name, w in worst.items():
        print(f"{name:18} {len(points[name]):6d} {w:13.2e}", file=sys.stderr)
    if failures:
        print("\nFAILED:", *failures[:20], sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"\nOK: JS and Python agree to {REL_TOL:g} relative on {n}+ points per function;"
          " optima match their minimisers.", file=sys.stderr)


if __name__ == "__main__":
    main()
