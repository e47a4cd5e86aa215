#!/usr/bin/env python3
"""Generate reference values for tunekit's reimplementation of numpy's legacy
``RandomState`` (MT19937) and of scikit-learn's splitters / parameter sampler.

The Rust core (and the TypeScript tests on top of it) reproduce, draw for draw,
what numpy + scikit-learn + scipy do for a given integer seed.  This script
records what the real libraries return so that those tests have an oracle.

Run it with the benchmark virtual environment (see bench/requirements.txt):

    bench/.venv/bin/python bench/make_fixtures.py

It writes ``__test__/fixtures/sklearn_splits.json`` (path relative to the repo
root).  Every entry carries the parameters needed to reproduce it.  Floats are
written with ``json.dump``, which uses ``float.__repr__`` (the shortest string
that round-trips), so every float in the file parses back to the exact same
IEEE-754 double.

Conventions used in the file:
  * all indices are 0-based row indices into the CSV file (header excluded);
  * fold lists (``test_folds``) are the ``test`` index arrays exactly as
    ``cv.split()`` yields them, i.e. in ascending order (scikit-learn builds
    them from a boolean mask), one list per fold, fold 0 first;
  * ``train_test_split`` train/test lists are in the order scikit-learn returns
    them (NOT sorted: that order is the random permutation order).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.svm import SVC

# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# The bundled data sets (byte-identical to scikit-learn 1.2.1's); overridable.
REFERENCE_DIR = os.environ.get("TUNEKIT_REFERENCE_DIR", os.path.join(REPO, "data"))
OUT_PATH = os.path.join(REPO, "__test__", "fixtures", "sklearn_splits.json")

DATASETS = ["iris", "wine", "breast_cancer", "digits"]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def load_dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Read ``<name>.csv``: header row, feature columns, last column ``target``."""
    path = os.path.join(REFERENCE_DIR, f"{name}.csv")
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[-1] == "target", f"{path}: last column is {header[-1]!r}"
    X = np.array([[float(v) for v in r[:-1]] for r in body], dtype=np.float64)
    y = np.array([int(r[-1]) for r in body], dtype=np.int64)
    return X, y


def to_py(value):
    """Convert numpy scalars / arrays (recursively) into plain Python values so
    that json.dump writes them exactly (ints as ints, float64 as repr floats)."""
    if isinstance(value, dict):
        return {str(k): to_py(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_py(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_py(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        assert np.isfinite(f), "non-finite float would not be valid JSON"
        return f
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot convert {type(value)!r}")


def numpy_simd_targets() -> list[str]:
    """numpy's dispatch targets that are active on this CPU (e.g. X86_V4 =
    AVX-512), or [] if numpy does not expose them."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # pragma: no cover - older/newer numpy layouts
        return []
    return [t for t in __cpu_dispatch__ if __cpu_features__.get(t)]


def folds_of(cv, X, y=None) -> list[list[int]]:
    """Test index arrays of every fold, as ``cv.split`` yields them."""
    return [to_py(test) for _train, test in cv.split(X, y)]


# --------------------------------------------------------------------------
# 1. numpy legacy RandomState primitives
# --------------------------------------------------------------------------
def raw_uint32_section() -> list[dict]:
    """First 10 raw 32-bit MT19937 outputs after ``RandomState(seed)``: the
    tempered genrand_int32 values, useful to unit-test the core generator."""
    out = []
    for seed in [0, 1, 42, 12345, 4294967295]:
        rs = np.random.RandomState(seed)
        raw = rs._bit_generator.random_raw(10)  # MT19937 next_raw == next_uint32
        out.append({"seed": seed, "count": 10, "result": to_py(raw)})
    return out


def permutation_section() -> list[dict]:
    out = []
    for seed in [0, 1, 42, 12345, 4294967295]:
        for n in [1, 2, 10, 150, 1000]:
            if n == 1000 and seed not in (0, 42):
                continue  # keep the file small
            perm = np.random.RandomState(seed).permutation(n)
            out.append({"seed": seed, "n": n, "result": to_py(perm)})
    return out


def random_sample_section() -> list[dict]:
    out = []
    for seed in [0, 42]:
        vals = np.random.RandomState(seed).random_sample(10)
        out.append({"seed": seed, "size": 10, "result": to_py(vals)})
    return out


def randint_section() -> list[dict]:
    # One RandomState, calls made in sequence: each call continues the stream.
    highs = [1, 2, 3, 5, 10, 100, 1000, 2**31]
    rng = np.random.RandomState(42)
    vals = [rng.randint(k) for k in highs]
    return [{"seed": 42, "highs": highs, "sequential": True, "result": to_py(vals)}]


# --------------------------------------------------------------------------
# 2. Splitters
# --------------------------------------------------------------------------
def train_test_split_section(data) -> list[dict]:
    cases = [
        # (dataset, test_size, random_state, stratify)
        ("iris", 0.2, 42, False),
        ("iris", 0.25, 0, False),
        ("iris", 0.3, 7, False),
        ("iris", 0.2, 42, True),
        ("wine", 0.2, 42, True),
        # Extra stratified cases whose per-class allocations tie, so that
        # sklearn's _approximate_mode breaks ties with rng.choice(...,
        # replace=False) (= a permutation draw): iris 112/3 = 37.33 per class,
        # digits has classes with equal counts (182, 182 and 181, 181).
        ("iris", 0.25, 0, True),
        ("digits", 0.2, 42, True),
    ]
    out = []
    for name, test_size, seed, stratify in cases:
        X, y = data[name]
        idx = np.arange(len(y))
        _X_tr, _X_te, i_tr, i_te = train_test_split(
            X, idx, test_size=test_size, random_state=seed,
            stratify=y if stratify else None,
        )
        out.append({
            "dataset": name,
            "n_samples": len(y),
            "test_size": test_size,
            "random_state": seed,
            "stratify": stratify,
            "shuffle": True,
            "train": to_py(i_tr),
            "test": to_py(i_te),
        })
    return out


def kfold_section() -> list[dict]:
    out = []
    for n in [150, 23]:
        X = np.zeros((n, 1))
        for seed in [0, 42]:
            cv = KFold(n_splits=5, shuffle=True, random_state=seed)
            out.append({"n_samples": n, "n_splits": 5, "shuffle": True,
                        "random_state": seed, "test_folds": folds_of(cv, X)})
    X = np.zeros((23, 1))
    out.append({"n_samples": 23, "n_splits": 5, "shuffle": False,
                "random_state": None, "test_folds": folds_of(KFold(5), X)})
    return out


# Labels deliberately not in order of first appearance (first seen: 2, 0, 1)
# and unbalanced: StratifiedKFold encodes classes by first appearance, and the
# order in which it shuffles each class's fold labels follows that encoding.
SYNTHETIC_Y = [2, 2, 0, 1, 1, 1, 0, 2, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0, 1, 2]


def stratified_kfold_section(data) -> list[dict]:
    out = []

    def add(label, y, k, shuffle, seed, include_y=False):
        X = np.zeros((len(y), 1))
        cv = StratifiedKFold(n_splits=k, shuffle=shuffle,
                             random_state=seed if shuffle else None)
        entry = {"dataset": label, "n_samples": len(y), "n_splits": k,
                 "shuffle": shuffle, "random_state": seed if shuffle else None}
        if include_y:
            entry["y"] = to_py(y)
        entry["test_folds"] = folds_of(cv, X, np.asarray(y))
        out.append(entry)

    for name in DATASETS:
        add(name, data[name][1], 5, False, None)
    add("wine", data["wine"][1], 3, False, None)
    for name in ["iris", "wine"]:
        for seed in [0, 42]:
            add(name, data[name][1], 5, True, seed)
    add("synthetic", SYNTHETIC_Y, 3, False, None, include_y=True)
    add("synthetic", SYNTHETIC_Y, 3, True, 3, include_y=True)
    return out


# --------------------------------------------------------------------------
# 3. ParameterSampler
# --------------------------------------------------------------------------
def parameter_sampler_section() -> list[dict]:
    # Each case: (name, JSON description of the space, actual space, n_iter).
    # Description format: {"dist": "uniform", "loc", "scale"} (scipy's
    # uniform(loc, scale) = U[loc, loc+scale)), {"dist": "loguniform", "a", "b"},
    # {"dist": "randint", "low", "high"} (high exclusive), {"choices": [...]}.
    cases = [
        ("a",
         {"C": {"dist": "uniform", "loc": 0, "scale": 100}},
         {"C": scipy.stats.uniform(0, 100)}, 10),
        ("b",
         {"C": {"dist": "loguniform", "a": 1e-3, "b": 1e3},
          "gamma": {"dist": "loguniform", "a": 1e-4, "b": 1e-1},
          "kernel": {"choices": ["rbf", "linear"]}},
         {"C": scipy.stats.loguniform(1e-3, 1e3),
          "gamma": scipy.stats.loguniform(1e-4, 1e-1),
          "kernel": ["rbf", "linear"]}, 10),
        ("c",
         {"degree": {"dist": "randint", "low": 2, "high": 6},
          "C": {"dist": "uniform", "loc": 1, "scale": 9},
          "kernel": {"choices": ["poly", "rbf", "sigmoid"]}},
         {"degree": scipy.stats.randint(2, 6),
          "C": scipy.stats.uniform(1, 9),
          "kernel": ["poly", "rbf", "sigmoid"]}, 10),
        # All lists -> sampling without replacement from the ParameterGrid.
        ("d",
         {"C": {"choices": [0.1, 1, 10]}, "kernel": {"choices": ["linear", "rbf"]}},
         {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"]}, 4),
        # Same grid, n_iter == grid size: sklearn switches to reservoir
        # sampling, which for n_samples == n_population draws nothing and
        # returns the grid in ParameterGrid index order.
        ("e",
         {"C": {"choices": [0.1, 1, 10]}, "kernel": {"choices": ["linear", "rbf"]}},
         {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"]}, 6),
    ]
    out = []
    for name, desc, space, n_iter in cases:
        for seed in [0, 42]:
            samples = list(ParameterSampler(space, n_iter=n_iter, random_state=seed))
            entry = {"case": name, "space": desc, "n_iter": n_iter,
                     "random_state": seed, "samples": to_py(samples)}
            if any(d.get("dist") == "loguniform" for d in desc.values()):
                # loguniform.rvs = exp(log(a) + u*(log(b) - log(a))) evaluated
                # with numpy's np.exp/np.log.  On CPUs with AVX-512 (numpy
                # dispatch target X86_V4) numpy uses its own SIMD exp/log,
                # which are not correctly rounded; ~5% of results then differ
                # by 1 ulp from glibc's exp/log (what Rust's f64::exp/ln and
                # Python's math module call).  Compare these floats with a
                # 1-ulp tolerance; every other value in this file is exact.
                entry["float_tolerance_ulps"] = 1
            out.append(entry)
    return out


# --------------------------------------------------------------------------
# 4. The seed walkthrough: grid and randomised search of SVC on iris
# --------------------------------------------------------------------------
def seed_grid_section(data) -> dict:
    X, y = data["iris"]
    idx = np.arange(len(y))
    X_tr, X_te, y_tr, y_te, i_tr, i_te = train_test_split(
        X, y, idx, test_size=0.2, random_state=42)

    grid = {"C": [0.1, 1, 10, 100], "kernel": ["linear", "rbf"],
            "gamma": ["scale", "auto"]}
    gs = GridSearchCV(SVC(), grid, cv=5).fit(X_tr, y_tr)
    r = gs.cv_results_
    grid_entry = {
        "estimator": "SVC()",
        "param_grid": grid,
        "cv": "5 (StratifiedKFold(n_splits=5, shuffle=False) on the training split)",
        "params": to_py(r["params"]),
        "split_test_scores": [to_py(r[f"split{k}_test_score"]) for k in range(5)],
        "mean_test_score": to_py(r["mean_test_score"]),
        "std_test_score": to_py(r["std_test_score"]),
        "rank_test_score": to_py(r["rank_test_score"]),
        "best_index": int(gs.best_index_),
        "best_params": to_py(gs.best_params_),
        "best_score": float(gs.best_score_),
        "test_score": float(gs.best_estimator_.score(X_te, y_te)),
    }

    rs = RandomizedSearchCV(SVC(), {"C": scipy.stats.uniform(0, 100)},
                            n_iter=50, cv=5, random_state=42).fit(X_tr, y_tr)
    r = rs.cv_results_
    random_entry = {
        "estimator": "SVC()",
        "param_distributions": {"C": {"dist": "uniform", "loc": 0, "scale": 100}},
        "n_iter": 50,
        "random_state": 42,
        "cv": "5 (StratifiedKFold(n_splits=5, shuffle=False) on the training split)",
        "params": to_py(r["params"]),
        "mean_test_score": to_py(r["mean_test_score"]),
        "rank_test_score": to_py(r["rank_test_score"]),
        "best_index": int(rs.best_index_),
        "best_params": to_py(rs.best_params_),
        "best_score": float(rs.best_score_),
        "test_score": float(rs.best_estimator_.score(X_te, y_te)),
    }
    return {
        "dataset": "iris",
        "split": {"test_size": 0.2, "random_state": 42,
                  "train": to_py(i_tr), "test": to_py(i_te)},
        "grid_search": grid_entry,
        "randomized_search": random_entry,
    }


# --------------------------------------------------------------------------
def main() -> int:
    data = {name: load_dataset(name) for name in DATASETS}
    fixture = {
        "generator": "bench/make_fixtures.py",
        "versions": {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": sys.version.split()[0],
            # numpy's runtime SIMD targets: they decide which exp/log kernels
            # np.exp/np.log use (see "float_tolerance_ulps" below).
            "numpy_simd_dispatch": numpy_simd_targets(),
        },
        "raw_uint32": raw_uint32_section(),
        "permutation": permutation_section(),
        "random_sample": random_sample_section(),
        "randint": randint_section(),
        "train_test_split": train_test_split_section(data),
        "kfold": kfold_section(),
        "stratified_kfold": None,
        "parameter_sampler": parameter_sampler_section(),
        "seed_grid": seed_grid_section(data),
    }
    # StratifiedKFold warns when a class has fewer members than n_splits
    # (not the case here); keep warnings visible but do not fail on them.
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        fixture["stratified_kfold"] = stratified_kfold_section(data)

    os.makedirs(os.path.dirname(OUT_PATH), exist_ok=True)
    with open(OUT_PATH, "w") as fh:
        json.dump(fixture, fh, allow_nan=False, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT_PATH} ({os.path.getsize(OUT_PATH)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
