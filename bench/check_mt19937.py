#!/usr/bin/env python3
"""Pure-Python (standard library only) re-implementation of numpy's legacy
``RandomState`` (MT19937) and of the scikit-learn / scipy code paths that
consume it, checked against ``__test__/fixtures/sklearn_splits.json``.

This is the executable specification that the Rust port follows: every
function below documents the exact draw order and rejection rule.  It uses no
numpy, so agreement with the fixture shows the algorithm is fully understood.

    python3 bench/check_mt19937.py            # check against the fixture
    bench/.venv/bin/python bench/check_mt19937.py --numpy
        # additionally run randomised differential tests against the real
        # numpy / scipy / scikit-learn installed in the venv

Exit status 0 when everything matches.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "__test__", "fixtures", "sklearn_splits.json")

MASK32 = 0xFFFFFFFF


# ===========================================================================
# MT19937 with numpy's legacy integer seeding
# ===========================================================================
class LegacyRandomState:
    """numpy.random.RandomState(seed) for an int seed in [0, 2**32 - 1]."""

    N, M = 624, 397
    MATRIX_A = 0x9908B0DF
    UPPER, LOWER = 0x80000000, 0x7FFFFFFF

    def __init__(self, seed: int):
        # mt19937_seed == Matsumoto & Nishimura's init_genrand(s):
        #   mt[0] = s; mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i  (mod 2**32)
        # and pos = 624, so the first draw regenerates (twists) the whole state.
        if not 0 <= seed <= MASK32:
            raise ValueError("Seed must be between 0 and 2**32 - 1")
        mt = [0] * self.N
        mt[0] = seed & MASK32
        for i in range(1, self.N):
            prev = mt[i - 1]
            mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & MASK32
        self.mt = mt
        self.pos = self.N

    # -- the raw generator ------------------------------------------------
    def _twist(self) -> None:
        mt, N, M = self.mt, self.N, self.M
        for i in range(N):
            y = (mt[i] & self.UPPER) | (mt[(i + 1) % N] & self.LOWER)
            mt[i] = mt[(i + M) % N] ^ (y >> 1) ^ (self.MATRIX_A if y & 1 else 0)
        self.pos = 0

    def next_uint32(self) -> int:
        """genrand_int32: one tempered 32-bit output."""
        if self.pos == self.N:
            self._twist()
        y = self.mt[self.pos]
        self.pos += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y & MASK32

    def next_uint64(self) -> int:
        """mt19937_next64: first 32-bit draw is the HIGH half."""
        hi = self.next_uint32()
        lo = self.next_uint32()
        return (hi << 32) | lo

    def next_double(self) -> float:
        """mt19937_next_double (genrand_res53): a = u32 >> 5 (27 bits),
        b = u32 >> 6 (26 bits), (a * 2**26 + b) / 2**53.  Exact in float64."""
        a = self.next_uint32() >> 5
        b = self.next_uint32() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    # -- numpy's distributions.c / _bounded_integers ------------------------
    @staticmethod
    def gen_mask(max_: int) -> int:
        """Smallest all-ones bit mask >= max_."""
        mask = max_
        for sh in (1, 2, 4, 8, 16, 32):
            mask |= mask >> sh
        return mask

    def random_interval(self, max_: int) -> int:
        """Uniform int in [0, max_] (closed) by masked rejection sampling.
        max_ == 0 -> 0 without any draw.  max_ <= 2**32-1 draws 32-bit
        values (each draw & mask, rejected while > max_); larger max_ draws
        64-bit values (two 32-bit draws, high first)."""
        if max_ == 0:
            return 0
        mask = self.gen_mask(max_)
        if max_ <= MASK32:
            while True:
                v = self.next_uint32() & mask
                if v <= max_:
                    return v
        while True:
            v = self.next_uint64() & mask
            if v <= max_:
                return v

    def random_sample(self, size: int) -> list[float]:
        return [self.next_double() for _ in range(size)]

    def randint(self, low: int, high: int | None = None) -> int:
        """RandomState.randint(low, high) with the default int64 dtype and
        size=None.  Legacy RandomState always uses the masked (not Lemire)
        method.  rng = high - 1 - low:
          rng == 0            -> low, NO draw consumed;
          rng == 2**32 - 1    -> low + next_uint32 (no mask, no rejection);
          rng <  2**32 - 1    -> low + masked rejection on 32-bit draws
                                 (no buffering for 32-bit draws: each
                                 candidate is one fresh next_uint32);
          rng == 2**64 - 1    -> low + next_uint64;
          otherwise           -> low + masked rejection on 64-bit draws."""
        if high is None:
            low, high = 0, low
        if high <= low:
            raise ValueError("high <= low")
        rng = high - 1 - low
        if rng == 0:
            return low
        if rng <= MASK32:
            if rng == MASK32:
                return low + self.next_uint32()
            mask = self.gen_mask(rng)
            while True:
                v = self.next_uint32() & mask
                if v <= rng:
                    return low + v
        if rng == 0xFFFFFFFFFFFFFFFF:
            return low + self.next_uint64()
        mask = self.gen_mask(rng)
        while True:
            v = self.next_uint64() & mask
            if v <= rng:
                return low + v

    def shuffle(self, x: list) -> None:
        """Legacy RandomState.shuffle (1-d): Fisher-Yates from the END:
        for i = n-1 down to 1: j = random_interval(i); swap x[i], x[j].
        n <= 1 consumes nothing."""
        for i in range(len(x) - 1, 0, -1):
            j = self.random_interval(i)
            x[i], x[j] = x[j], x[i]

    def permutation(self, x) -> list:
        """permutation(int n) = shuffle(arange(n)); permutation(seq) =
        shuffle(copy of seq)."""
        arr = list(range(x)) if isinstance(x, int) else list(x)
        self.shuffle(arr)
        return arr

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        """Legacy uniform: low + (high - low) * next_double()."""
        return low + (high - low) * self.next_double()

    def choice_without_replacement(self, a: list, size: int) -> list:
        """Legacy choice(a, size, replace=False, p=None) =
        a[permutation(len(a))[:size]]  (a full permutation is drawn)."""
        idx = self.permutation(len(a))[:size]
        return [a[i] for i in idx]

    def choice_index(self, pop_size: int) -> int:
        """Legacy choice(a) with replace=True, size=None: randint(0, pop_size)."""
        return self.randint(0, pop_size)


# ===========================================================================
# scipy.stats frozen distributions, .rvs(random_state=rng) with size=None
# ===========================================================================
def rvs_uniform(rng: LegacyRandomState, loc: float, scale: float) -> float:
    # uniform_gen._rvs: random_state.uniform(0.0, 1.0) (= u exactly), then
    # rv_generic.rvs: vals * scale + loc.
    u = rng.uniform(0.0, 1.0)
    return u * scale + loc


def rvs_loguniform(rng: LegacyRandomState, a: float, b: float) -> float:
    # reciprocal_gen has no _rvs: rv_continuous._rvs = _ppf(random_state.uniform()),
    # _ppf(q, a, b) = exp(log(a) + q * (log(b) - log(a))); then * 1.0 + 0.0.
    # Python's math.exp/log (= glibc libm, as Rust's f64::exp/ln on Linux) is
    # used here.  numpy evaluates np.exp/np.log with its own AVX-512 kernels
    # when the CPU has them (dispatch target X86_V4); those are not correctly
    # rounded, so results may differ by an ulp or so (the fixture marks these
    # entries with "float_tolerance_ulps").  With NPY_DISABLE_CPU_FEATURES=X86_V4
    # numpy falls back to libm and agrees with this function bit for bit.
    q = rng.uniform()
    return math.exp(math.log(a) + q * (math.log(b) - math.log(a)))


def rvs_randint(rng: LegacyRandomState, low: int, high: int) -> int:
    # randint_gen._rvs -> scipy._lib._util.rng_integers -> RandomState.randint(
    # low, high, size=None, dtype='int64'); then + loc (0) and int().
    return rng.randint(low, high)


def sample_dist(rng, spec):
    if "choices" in spec:
        v = spec["choices"]
        return v[rng.randint(len(v))]
    kind = spec["dist"]
    if kind == "uniform":
        return rvs_uniform(rng, spec["loc"], spec["scale"])
    if kind == "loguniform":
        return rvs_loguniform(rng, spec["a"], spec["b"])
    if kind == "randint":
        return rvs_randint(rng, spec["low"], spec["high"])
    raise ValueError(kind)


# ===========================================================================
# scikit-learn
# ===========================================================================
def parameter_grid_getitem(grid: dict, ind: int) -> dict:
    """ParameterGrid.__getitem__ for one dict: keys sorted (code-point order),
    then reversed, decoded as mixed radix, so the LAST sorted key varies
    fastest (same order as iterating ParameterGrid)."""
    keys = sorted(grid)[::-1]
    out = {}
    for k in keys:
        ind, off = divmod(ind, len(grid[k]))
        out[k] = grid[k][off]
    return out


def sample_without_replacement(rng, n_population: int, n_samples: int) -> list[int]:
    """sklearn.utils._random.sample_without_replacement, method='auto'."""
    ratio = n_samples / n_population if n_population != 0 else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples]
    if ratio < 0.2:  # tracking selection (ratio <= 0.01)
        selected, out = set(), []
        for _ in range(n_samples):
            j = rng.randint(n_population)
            while j in selected:
                j = rng.randint(n_population)
            selected.add(j)
            out.append(j)
        return out
    # reservoir sampling (ratio >= 0.99)
    out = list(range(n_samples))
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out


def parameter_sampler(space: dict, n_iter: int, seed: int) -> list[dict]:
    """ParameterSampler(space, n_iter, random_state=seed) for a single dict."""
    rng = LegacyRandomState(seed)
    if all("choices" in s for s in space.values()):
        grid = {k: s["choices"] for k, s in space.items()}
        size = 1
        for v in grid.values():
            size *= len(v)
        n = min(n_iter, size)
        return [parameter_grid_getitem(grid, i)
                for i in sample_without_replacement(rng, size, n)]
    out = []
    for _ in range(n_iter):
        rng.choice_index(1)  # rng.choice([dist]): randint(0, 1) -> no draw
        params = {}
        for k in sorted(space):  # sorted by key, code-point order
            params[k] = sample_dist(rng, space[k])
        out.append(params)
    return out


def shuffle_split_counts(n: int, test_size: float) -> tuple[int, int]:
    """_validate_shuffle_split with a float test_size and train_size=None."""
    n_test = math.ceil(test_size * n)
    return n - n_test, n_test


def train_test_split_indices(n: int, test_size: float, seed: int):
    """ShuffleSplit: perm = permutation(n); test = perm[:n_test];
    train = perm[n_test:n_test + n_train]."""
    n_train, n_test = shuffle_split_counts(n, test_size)
    perm = LegacyRandomState(seed).permutation(n)
    return perm[n_test:n_test + n_train], perm[:n_test]


def approximate_mode(class_counts: list[int], n_draws: int, rng) -> list[int]:
    """sklearn.utils.extmath._approximate_mode."""
    total = sum(class_counts)
    continuous = [c / total * n_draws for c in class_counts]
    floored = [math.floor(c) for c in continuous]
    need = int(n_draws - sum(floored))
    if need > 0:
        remainder = [c - f for c, f in zip(continuous, floored)]
        for value in sorted(set(remainder), reverse=True):
            inds = [i for i, r in enumerate(remainder) if r == value]
            add_now = min(len(inds), need)
            for i in rng.choice_without_replacement(inds, add_now):
                floored[i] += 1
            need -= add_now
            if need == 0:
                break
    return floored


def stratified_train_test_split_indices(y: list[int], test_size: float, seed: int):
    """StratifiedShuffleSplit, one split."""
    n = len(y)
    n_train, n_test = shuffle_split_counts(n, test_size)
    classes = sorted(set(y))  # np.unique: sorted labels
    class_indices = [[i for i, v in enumerate(y) if v == c] for c in classes]
    class_counts = [len(ci) for ci in class_indices]
    rng = LegacyRandomState(seed)
    n_i = approximate_mode(class_counts, n_train, rng)
    remaining = [c - a for c, a in zip(class_counts, n_i)]
    t_i = approximate_mode(remaining, n_test, rng)
    train, test = [], []
    for k in range(len(classes)):
        perm = rng.permutation(class_counts[k])
        idx = [class_indices[k][p] for p in perm]
        train.extend(idx[:n_i[k]])
        test.extend(idx[n_i[k]:n_i[k] + t_i[k]])
    return rng.permutation(train), rng.permutation(test)


def kfold_test_folds(n: int, k: int, shuffle: bool, seed) -> list[list[int]]:
    idx = list(range(n))
    if shuffle:
        LegacyRandomState(seed).shuffle(idx)
    sizes = [n // k + (1 if f < n % k else 0) for f in range(k)]
    out, cur = [], 0
    for s in sizes:
        out.append(sorted(idx[cur:cur + s]))  # split() yields mask order
        cur += s
    return out


def stratified_kfold_test_folds(y: list[int], k: int, shuffle: bool, seed) -> list[list[int]]:
    # Classes encoded by order of FIRST APPEARANCE in y.
    order = []
    for v in y:
        if v not in order:
            order.append(v)
    enc = [order.index(v) for v in y]
    n_classes = len(order)
    y_sorted = sorted(enc)
    # allocation[f][c]: members of class c among y_sorted[f::k]
    alloc = [[0] * n_classes for _ in range(k)]
    for f in range(k):
        for c in y_sorted[f::k]:
            alloc[f][c] += 1
    rng = LegacyRandomState(seed) if shuffle else None
    test_folds = [0] * len(y)
    for c in range(n_classes):
        folds_for_class = [f for f in range(k) for _ in range(alloc[f][c])]
        if shuffle:
            rng.shuffle(folds_for_class)  # one rng shared across classes
        positions = [i for i, e in enumerate(enc) if e == c]
        for p, f in zip(positions, folds_for_class):
            test_folds[p] = f
    return [[i for i, f in enumerate(test_folds) if f == fold] for fold in range(k)]


# ===========================================================================
# Checking
# ===========================================================================
def load_labels(name: str) -> list[int]:
    ref = os.environ.get("TUNEKIT_REFERENCE_DIR",
                         os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "reference"))
    with open(os.path.join(ref, f"{name}.csv")) as fh:
        rows = fh.read().strip().splitlines()[1:]
    return [int(r.rsplit(",", 1)[1]) for r in rows]


def ulps(a: float, b: float) -> int:
    ia = struct.unpack("<q", struct.pack("<d", a))[0]
    ib = struct.unpack("<q", struct.pack("<d", b))[0]
    return abs(ia - ib)


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def eq(self, what: str, got, want) -> None:
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print(f"MISMATCH {what}:\n  got  {got}\n  want {want}")


def check_fixture(ck: Checker, fx: dict) -> None:
    for e in fx["raw_uint32"]:
        rs = LegacyRandomState(e["seed"])
        ck.eq(f"raw_uint32 seed={e['seed']}", [rs.next_uint32() for _ in range(e["count"])], e["result"])
    for e in fx["permutation"]:
        ck.eq(f"permutation seed={e['seed']} n={e['n']}",
              LegacyRandomState(e["seed"]).permutation(e["n"]), e["result"])
    for e in fx["random_sample"]:
        ck.eq(f"random_sample seed={e['seed']}",
              LegacyRandomState(e["seed"]).random_sample(e["size"]), e["result"])
    for e in fx["randint"]:
        rs = LegacyRandomState(e["seed"])
        ck.eq(f"randint seed={e['seed']}", [rs.randint(k) for k in e["highs"]], e["result"])

    labels = {}
    for e in fx["train_test_split"]:
        name = e["dataset"]
        what = f"train_test_split {name} test_size={e['test_size']} rs={e['random_state']} strat={e['stratify']}"
        if e["stratify"]:
            y = labels.setdefault(name, load_labels(name))
            tr, te = stratified_train_test_split_indices(y, e["test_size"], e["random_state"])
        else:
            tr, te = train_test_split_indices(e["n_samples"], e["test_size"], e["random_state"])
        ck.eq(what + " train", tr, e["train"])
        ck.eq(what + " test", te, e["test"])

    for e in fx["kfold"]:
        ck.eq(f"kfold n={e['n_samples']} shuffle={e['shuffle']} rs={e['random_state']}",
              kfold_test_folds(e["n_samples"], e["n_splits"], e["shuffle"], e["random_state"]),
              e["test_folds"])

    for e in fx["stratified_kfold"]:
        name = e["dataset"]
        y = e["y"] if "y" in e else labels.setdefault(name, load_labels(name))
        ck.eq(f"stratified_kfold {name} k={e['n_splits']} shuffle={e['shuffle']} rs={e['random_state']}",
              stratified_kfold_test_folds(y, e["n_splits"], e["shuffle"], e["random_state"]),
              e["test_folds"])

    for e in fx["parameter_sampler"]:
        got = parameter_sampler(e["space"], e["n_iter"], e["random_state"])
        want = e["samples"]
        what = f"parameter_sampler case={e['case']} rs={e['random_state']}"
        # Compare exactly, but report float differences in ULPs (log/exp).
        if got != want:
            worst = 0
            same_shape = len(got) == len(want)
            for g, w in zip(got, want):
                if g.keys() != w.keys():
                    same_shape = False
                    break
                for k in g:
                    if isinstance(w[k], float) and isinstance(g[k], float):
                        worst = max(worst, ulps(g[k], w[k]))
                    elif g[k] != w[k]:
                        same_shape = False
            if same_shape:
                print(f"note: {what}: floats differ by up to {worst} ulp (libm vs numpy exp/log)")
                ck.eq(what + " (within tolerance)", worst <= e.get("float_tolerance_ulps", 0), True)
                continue
        ck.eq(what, got, want)
        # key order of each dict, too (sorted keys / reversed-sorted for grids)
        ck.eq(what + " key order", [list(d) for d in got], [list(d) for d in want])

    sg = fx["seed_grid"]
    tr, te = train_test_split_indices(150, sg["split"]["test_size"], sg["split"]["random_state"])
    ck.eq("seed_grid split train", tr, sg["split"]["train"])
    ck.eq("seed_grid split test", te, sg["split"]["test"])
    grid = sg["grid_search"]["param_grid"]
    keys = sorted(grid)
    size = 1
    for k in keys:
        size *= len(grid[k])
    ck.eq("seed_grid grid params order",
          [parameter_grid_getitem(grid, i) for i in range(size)], sg["grid_search"]["params"])
    rsd = sg["randomized_search"]
    ck.eq("seed_grid randomized params",
          parameter_sampler(rsd["param_distributions"], rsd["n_iter"], rsd["random_state"]),
          rsd["params"])


def check_against_numpy(ck: Checker) -> None:
    """Randomised differential tests against the installed numpy / scipy /
    scikit-learn (only with --numpy, inside the venv)."""
    import random

    import numpy as np
    import scipy.stats as st
    from sklearn.model_selection import ParameterSampler
    from sklearn.utils._random import sample_without_replacement as skl_swr

    meta = random.Random(2024)
    # randint over many ranges, including > 32-bit and the 2**32 boundary
    highs = [1, 2, 3, 7, 8, 9, 255, 256, 257, 10**6, 2**31, 2**31 + 1, 2**32 - 1, 2**32,
             2**32 + 1, 2**33 + 5, 10**15, 2**62, 2**63 - 1]
    for trial in range(20):
        seed = meta.randrange(2**32)
        a, b = np.random.RandomState(seed), LegacyRandomState(seed)
        seq = [meta.choice(highs) for _ in range(50)]
        ck.eq(f"np randint seq seed={seed}", [b.randint(h) for h in seq], [int(a.randint(h)) for h in seq])
        lows = [meta.randrange(-1000, 1) for _ in range(20)]  # lo + h must fit in int64
        ck.eq(f"np randint low/high seed={seed}",
              [b.randint(lo, lo + h) for lo, h in zip(lows, seq)],
              [int(a.randint(lo, lo + h)) for lo, h in zip(lows, seq)])
        ck.eq(f"np state continues seed={seed}", b.next_double(), a.random_sample())
    # permutations of many sizes, and shuffle of a list
    for n in list(range(0, 40)) + [255, 256, 257, 4097]:
        seed = meta.randrange(2**32)
        ck.eq(f"np permutation n={n}", LegacyRandomState(seed).permutation(n),
              np.random.RandomState(seed).permutation(n).tolist())
    # choice(without replacement) = permutation prefix
    for n in [1, 2, 3, 10]:
        for size in range(n + 1):
            seed = meta.randrange(2**32)
            ck.eq(f"np choice n={n} size={size}",
                  LegacyRandomState(seed).choice_without_replacement(list(range(n)), size),
                  np.random.RandomState(seed).choice(n, size=size, replace=False).tolist())
    # scipy rvs, compared bit for bit
    worst = {"loguniform": 0}
    for _ in range(2000):
        seed = meta.randrange(2**32)
        a, b = np.random.RandomState(seed), LegacyRandomState(seed)
        lo, hi = 10 ** meta.uniform(-8, 0), 10 ** meta.uniform(0.1, 8)
        got, want = rvs_loguniform(b, lo, hi), float(st.loguniform(lo, hi).rvs(random_state=a))
        worst["loguniform"] = max(worst["loguniform"], ulps(got, want))
        loc, scale = meta.uniform(-10, 10), meta.uniform(0.1, 100)
        ck.eq("np uniform.rvs", rvs_uniform(b, loc, scale), float(st.uniform(loc, scale).rvs(random_state=a)))
        ck.eq("np randint.rvs", rvs_randint(b, -3, 17), int(st.randint(-3, 17).rvs(random_state=a)))
    print(f"loguniform.rvs via math.exp/log vs scipy: max {worst['loguniform']} ulp over 2000 draws")
    # sample_without_replacement in all three regimes
    for pop, k in [(1000, 5), (1000, 10), (1000, 11), (100, 50), (100, 98), (100, 99), (100, 100), (7, 7)]:
        seed = meta.randrange(2**32)
        ck.eq(f"np sample_without_replacement {pop},{k}",
              sample_without_replacement(LegacyRandomState(seed), pop, k),
              skl_swr(pop, k, random_state=np.random.RandomState(seed)).tolist())
    # ParameterSampler with mixed lists and distributions, odd key names
    space = {"b": [1, 2, 3], "A": st.uniform(0, 1), "a": st.randint(0, 10), "_z": ["x", "y"]}
    spec = {"b": {"choices": [1, 2, 3]}, "A": {"dist": "uniform", "loc": 0, "scale": 1},
            "a": {"dist": "randint", "low": 0, "high": 10}, "_z": {"choices": ["x", "y"]}}
    for seed in [0, 1, 7]:
        want = [{k: (v.item() if hasattr(v, "item") else v) for k, v in d.items()}
                for d in ParameterSampler(space, 20, random_state=seed)]
        ck.eq(f"np ParameterSampler mixed seed={seed}", parameter_sampler(spec, 20, seed), want)


def main() -> int:
    with open(FIXTURE) as fh:
        fx = json.load(fh)
    ck = Checker()
    check_fixture(ck, fx)
    if "--numpy" in sys.argv[1:]:
        check_against_numpy(ck)
    print(f"{ck.passed} passed, {ck.failed} failed")
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
