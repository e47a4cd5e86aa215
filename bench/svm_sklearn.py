"""scikit-learn side of bench/svm.mjs: the same searches, timed the same way.

Reads a JSON task list on stdin, prints one JSON object with, per task and per
n_jobs setting, the median wall time of `repeats` runs of GridSearchCV.fit
(refit included, as on the tunekit side) and the mean test scores.
"""
import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC


def load(name):
    data = np.loadtxt(f"data/{name}.csv", delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def main():
    spec = json.load(sys.stdin)
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "tasks": {}}
    for task in spec["tasks"]:
        X, y = load(task["dataset"])
        if task.get("split"):
            X, _, y, _ = train_test_split(X, y, test_size=task["split"]["test_size"], random_state=task["split"]["random_state"])
        res = {}
        for n_jobs in (1, -1):
            times, scores = [], None
            for _ in range(task["repeats"] + 1):  # the first run warms up (joblib workers, caches)
                search = GridSearchCV(SVC(), task["grid"], cv=task["cv"], n_jobs=n_jobs)
                t0 = time.perf_counter()
                search.fit(X, y)
                times.append(time.perf_counter() - t0)
                scores = search.cv_results_["mean_test_score"].tolist()
            res[str(n_jobs)] = {"seconds": statistics.median(times[1:]), "mean_test_score": scores}
        out["tasks"][task["name"]] = res
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
