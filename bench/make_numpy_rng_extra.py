"""Extra numpy / scipy / scikit-learn references for tunekit-core's
model_selection tests (randint across the 32-bit boundary and over int64,
sample_without_replacement in its three regimes, ParameterSampler with odd
names, wide ranges and larger grids).

    bench/.venv/bin/python crates/tunekit-core/tests/data/make_numpy_rng_extra.py \
        crates/tunekit-core/tests/data/numpy_rng_extra.json
"""
import json, sys, numpy as np, scipy, sklearn, scipy.stats as st
from sklearn.model_selection import ParameterSampler
from sklearn.utils._random import sample_without_replacement as swr
out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}}
highs = [1, 2, 3, 7, 8, 9, 255, 256, 257, 10**6, 2**31, 2**31 + 1, 2**32 - 1, 2**32, 2**32 + 1,
         2**33 + 5, 10**15, 2**62, 2**63 - 1]
seqs = []
for seed in [0, 1, 99, 4294967295]:
    rs = np.random.RandomState(seed)
    seq = [highs[(i * 7 + seed) % len(highs)] for i in range(60)]
    seqs.append({"seed": seed, "highs": seq, "result": [int(rs.randint(h)) for h in seq],
                 "next_random_sample": float(rs.random_sample())})
out["randint"] = seqs
pairs = []
for seed in [3, 17]:
    rs = np.random.RandomState(seed)
    bounds = [(-5, 3), (-1000, -999), (-2**40, 2**40), (-2**63, 2**63 - 1), (-2**63, -2**63 + 2**32),
              (0, 2**32), (10, 11), (-7, 2**32 - 7)]
    pairs.append({"seed": seed, "bounds": [list(b) for b in bounds],
                  "result": [int(rs.randint(lo, hi, dtype=np.int64)) for lo, hi in bounds]})
out["randint_between"] = pairs
out["sample_without_replacement"] = [
    {"n_population": p, "n_samples": k, "seed": s, "result": swr(p, k, random_state=np.random.RandomState(s)).tolist()}
    for (p, k, s) in [(1000, 5, 1), (1000, 10, 2), (1000, 11, 3), (100, 50, 4), (100, 98, 5), (100, 99, 6),
                      (100, 100, 7), (7, 7, 8), (100000, 3, 9), (5000, 4990, 10)]]
space = {"b": [1, 2, 3], "A": st.uniform(0, 1), "a": st.randint(0, 10), "_z": ["x", "y"],
         "g": st.loguniform(1e-6, 1e6), "big": st.randint(-2**62, 2**62)}
spec = {"b": {"choices": [1, 2, 3]}, "A": {"dist": "uniform", "loc": 0, "scale": 1},
        "a": {"dist": "randint", "low": 0, "high": 10}, "_z": {"choices": ["x", "y"]},
        "g": {"dist": "loguniform", "a": 1e-6, "b": 1e6}, "big": {"dist": "randint", "low": -2**62, "high": 2**62}}
out["parameter_sampler"] = []
for seed in [0, 1, 7]:
    samples = [{k: (v.item() if hasattr(v, "item") else v) for k, v in d.items()}
               for d in ParameterSampler(space, 40, random_state=seed)]
    out["parameter_sampler"].append({"space": spec, "n_iter": 40, "random_state": seed, "samples": samples})
# a grid bigger than 100 points sampled sparsely (tracking selection) and densely
grid_space = {"x": list(range(40)), "y": list(range(30)), "z": ["p", "q"]}
grid_spec = {k: {"choices": v} for k, v in grid_space.items()}
for n_iter, seed in [(5, 11), (600, 12), (2395, 13)]:
    samples = list(ParameterSampler(grid_space, n_iter, random_state=seed))
    out["parameter_sampler"].append({"space": grid_spec, "n_iter": n_iter, "random_state": seed, "samples": samples})
json.dump(out, open(sys.argv[1], "w"), separators=(",", ":"))
print("ok", {k: len(v) for k, v in out.items() if isinstance(v, list)})
