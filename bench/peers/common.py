"""Helpers shared by the peer benchmark scripts in bench/peers/."""
import json
import math
import os
import platform
import statistics
import sys
import warnings
from importlib import metadata

# Package versions recorded in every output file (those not installed are left out).
PACKAGES = ["numpy", "scipy", "scikit-learn", "bayesian-optimization", "optuna", "torch",
            "greenlet", "cmaes", "pymoo", "pygad", "deap"]


def limit_threads(n=1):
    """Pin BLAS/OpenMP/torch to n threads. Call before importing numpy/torch.

    Used by the quality benchmarks: with one thread per process, runs in
    parallel processes do not oversubscribe the cores, and results do not depend
    on how many threads the linear algebra happened to use.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = str(n)


def quiet():
    """Silence Optuna's per-trial logging and library warnings."""
    warnings.filterwarnings("ignore")
    try:
        import optuna
        optuna.logging.set_verbosity(optuna.logging.ERROR)
    except ImportError:
        pass


def versions():
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return out


def machine():
    return {"platform": platform.platform(), "cpus": os.cpu_count()}


def write_json(path, obj):
    """Write atomically (temp file + rename), so an interrupted run leaves the last good file."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


def read_json(path):
    if path and os.path.exists(path):
        with open(path) as fh:
            return json.load(fh)
    return None


def median(values):
    """Median of the non-None values (None if there are none)."""
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, width=10):
    if v is None:
        return "-".rjust(width)
    if v == 0:
        return "0".rjust(width)
    if abs(v) >= 1e4 or abs(v) < 1e-3:
        return f"{v:{width}.2e}"
    return f"{v:{width}.4f}"


def table(title, rows, cols, cell, first="", width=10):
    """Print a rows x cols table to stderr; cell(row, col) -> number or None."""
    w0 = max([len(first)] + [len(r) for r in rows]) + 1
    widths = [max(width, len(c)) for c in cols]
    print(f"\n{title}", file=sys.stderr)
    print(first.ljust(w0) + " ".join(c.rjust(w) for c, w in zip(cols, widths)), file=sys.stderr)
    for r in rows:
        print(r.ljust(w0) + " ".join(fmt(cell(r, c), w) for c, w in zip(cols, widths)), file=sys.stderr)


# ---------------------------------------------------------------- two objectives

def non_dominated(points):
    """Non-dominated subset (minimisation) of a list of (f1, f2), duplicates removed.

    Sort by f1 then f2; scanning in that order, a point is kept when its f2 is
    strictly below every f2 seen so far. Returned sorted by f1 ascending (so f2
    descending).
    """
    front = []
    best_f2 = math.inf
    for f1, f2 in sorted((float(a), float(b)) for a, b in points):
        if f2 < best_f2:
            front.append((f1, f2))
            best_f2 = f2
    return front


def hypervolume_2d(points, ref=(1.1, 1.1)):
    """Exact hypervolume (area) dominated by `points` and bounded by `ref`, minimisation.

    Points not strictly better than ref in both objectives contribute nothing.
    With the front sorted by f1 ascending, the area is a sum of rectangles:
    sum_i (f1_{i+1} - f1_i) * (ref2 - f2_i), with f1_{n+1} = ref1.
    (Checked against pymoo.indicators.hv.HV in ga_quality.py.)
    """
    front = [(a, b) for a, b in non_dominated(points) if a < ref[0] and b < ref[1]]
    area = 0.0
    for i, (f1, f2) in enumerate(front):
        nxt = front[i + 1][0] if i + 1 < len(front) else ref[0]
        area += (nxt - f1) * (ref[1] - f2)
    return area
