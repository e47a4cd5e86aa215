"""Reference np.log / np.exp results (IEEE-754 bit patterns) for the tests of
tunekit-core's model_selection::numpy_math.

    bench/.venv/bin/python crates/tunekit-core/tests/data/make_numpy_exp_log.py \
        crates/tunekit-core/tests/data/numpy_exp_log.json

Run it on a CPU with AVX512_SKX (numpy then uses SVML); elsewhere numpy uses
the C library and the file would hold different last bits.
"""
import json, numpy as np, platform, sys
rng = np.random.RandomState(20240601)
steps = [0x3ff040f000000000, 0x3ff0c97000000000, 0x3ff15b4000000000, 0x3ff1f70000000000,
         0x3ff29e6000000000, 0x3ff3523000000000, 0x3ff4143000000000, 0x3ff4e5f000000000,
         0x3ff5c99000000000, 0x3ff6c15000000000, 0x3ff7d07000000000, 0x3ff8f9c000000000,
         0x3ffa41a000000000, 0x3ffbad0000000000, 0x3ffd41c000000000, 0x3fff080000000000]
log_x = list(10.0 ** rng.uniform(-8, 8, 600)) + list(np.exp(rng.uniform(-700, 700, 200)))
log_x += list(1.0 + rng.uniform(-0.1, 0.1, 100))
# mantissas right at and next to each hardware reciprocal step, at a few exponents
for s in steps:
    for d in (-2, -1, 0, 1, 2):
        m = np.array([s + d], dtype=np.uint64).view(np.float64)[0]
        for e in (-3, 0, 5):
            log_x.append(float(np.ldexp(m, e)))
# inputs where the exact reciprocal would pick the other grid point
log_x += [0.9697151342822166, 1.0847761773251607, 0.969716903985646, 0.9697225547626293,
          1.0847599846304437, 0.9697043967738164]
log_x += [5e-324, 3e-320, 2.2250738585072014e-308, 1.7976931348623157e308]
exp_x = list(rng.uniform(-707, 707, 500)) + list(rng.uniform(-25, 25, 400)) + list(rng.uniform(-1e-3, 1e-3, 100))
lx = np.array(log_x, dtype=np.float64); ex = np.array(exp_x, dtype=np.float64)
out = {
    "generator": "numpy np.log / np.exp on float64 arrays; values are IEEE-754 bit patterns (u64)",
    "numpy": np.__version__, "machine": platform.machine(),
    "log": [[int(a), int(b)] for a, b in zip(lx.view(np.uint64), np.log(lx).view(np.uint64))],
    "exp": [[int(a), int(b)] for a, b in zip(ex.view(np.uint64), np.exp(ex).view(np.uint64))],
}
from numpy._core._multiarray_umath import __cpu_features__ as cf
out["simd"] = "AVX512_SKX" if cf.get("AVX512_SKX") else "no AVX512_SKX"
json.dump(out, open(sys.argv[1], "w"), separators=(",", ":"))
print(len(out["log"]), len(out["exp"]), out["simd"])
