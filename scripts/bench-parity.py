"""scikit-learn side of the model parity benchmark; run through `npx tsx scripts/bench-parity.ts`.

  /usr/bin/python3 scripts/bench-parity.py prepare <dir>   data, one fixed split per dataset, prepared matrices, tasks.json
  /usr/bin/python3 scripts/bench-parity.py serve <dir>     fits scikit-learn on request (stdin/stdout JSON lines), so the
                                                           TypeScript side can alternate its fits with scikit-learn's
  /usr/bin/python3 scripts/bench-parity.py check <dir>     scores Pipelab's predictions with sklearn.metrics -> check.json

Every matrix is written as little-endian float64 (`<name>.f64`, row-major) and every label vector
as little-endian int32 (`<name>.i32`), so the TypeScript side reads exactly the numbers used here.
Scaling statistics and one-hot categories come from the training rows only.
"""
import csv
import json
import os
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, mean_absolute_error, mean_squared_error,
                             r2_score, roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 0
TEST_SIZE = 0.2
REPEATS = 3
WARMUP = 1
TREE_SEEDS = 20
SVM_BANK_ROWS = 5000
BANK_TEXT_COLUMNS = ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]


def save_matrix(out, name, X):
    np.ascontiguousarray(X, dtype="<f8").tofile(os.path.join(out, f"{name}.f64"))


def save_labels(out, name, y):
    np.ascontiguousarray(y, dtype="<i4").tofile(os.path.join(out, f"{name}.i32"))


def load_matrix(out, name, cols):
    return np.fromfile(os.path.join(out, f"{name}.f64"), dtype="<f8").reshape(-1, cols)


def load_labels(out, name):
    return np.fromfile(os.path.join(out, f"{name}.i32"), dtype="<i4")


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def standardize(X_train, X_test):
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test)


def split_indices(n, stratify, out, dataset):
    """One fixed split per dataset (stratified for classification); the index lists are kept in <dir>."""
    train, test = train_test_split(np.arange(n), test_size=TEST_SIZE, random_state=SEED, stratify=stratify)
    with open(os.path.join(out, f"{dataset}-split.json"), "w") as f:
        json.dump({"train": train.tolist(), "test": test.tolist()}, f)
    return train, test


def prepare(out):
    datasets, tasks = {}, []

    def add_matrix(dataset, variant, X_train, X_test, names):
        key = f"{dataset}-{variant}"
        save_matrix(out, f"{key}-train", X_train)
        save_matrix(out, f"{key}-test", X_test)
        datasets[dataset]["matrices"][variant] = {"prefix": key, "cols": int(X_train.shape[1]), "names": names,
                                                  "trainRows": int(X_train.shape[0]), "testRows": int(X_test.shape[0])}

    def add_dataset(dataset, label, kind, y_train, y_test, classes=None):
        datasets[dataset] = {"label": label, "kind": kind, "classes": classes, "matrices": {}}
        if kind == "classification":
            save_labels(out, f"{dataset}-ytrain", y_train)
            save_labels(out, f"{dataset}-ytest", y_test)
        else:
            save_matrix(out, f"{dataset}-ytrain", y_train)
            save_matrix(out, f"{dataset}-ytest", y_test)

    # Advertising: raw units, so the coefficients are comparable number by number.
    with open(os.path.join(ROOT, "samples", "advertising.csv")) as f:
        rows = list(csv.DictReader(f))
    features = ["TV", "Radio", "Newspaper"]
    X = np.array([[float(r[c]) for c in features] for r in rows])
    y = np.array([float(r["Sales"]) for r in rows])
    train, test = split_indices(len(y), None, out, "advertising")
    add_dataset("advertising", "advertising", "regression", y[train], y[test])
    add_matrix("advertising", "raw", X[train], X[test], features)

    # Bank marketing: one-hot the text columns (categories seen in the training rows), z-score the numbers.
    with open(os.path.join(ROOT, "samples", "bank-marketing.csv")) as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    numeric = [c for c in rows[0] if c not in BANK_TEXT_COLUMNS and c != "y"]
    y = np.array([1 if r["y"] == "yes" else 0 for r in rows], dtype=np.int32)
    train, test = split_indices(len(y), y, out, "bank")
    numbers = np.array([[float(r[c]) for c in numeric] for r in rows])
    num_train, num_test = standardize(numbers[train], numbers[test])
    names, onehot = list(numeric), []
    for column in BANK_TEXT_COLUMNS:
        values = np.array([r[column] for r in rows])
        for category in sorted(set(values[train])):
            names.append(f"{column}={category}")
            onehot.append((values == category).astype(float))
    onehot = np.array(onehot).T
    add_dataset("bank", "bank marketing", "classification", y[train], y[test], ["no", "yes"])
    add_matrix("bank", "prepared", np.hstack([num_train, onehot[train]]), np.hstack([num_test, onehot[test]]), names)

    # scikit-learn's built-in sets: exported to CSV, then raw features (tree) and standardized ones (logistic, SVM).
    for dataset, label, loader in [("breast_cancer", "breast cancer", load_breast_cancer),
                                   ("wine", "wine", load_wine), ("digits", "digits", load_digits)]:
        bunch = loader()
        names = [str(n) for n in bunch.feature_names]
        write_csv(os.path.join(out, f"{dataset}.csv"), names + ["target"],
                  [list(map(repr, map(float, x))) + [int(t)] for x, t in zip(bunch.data, bunch.target)])
        with open(os.path.join(out, f"{dataset}.csv")) as f:
            table = np.array([[float(v) for v in row] for row in list(csv.reader(f))[1:]])
        X, y = table[:, :-1], table[:, -1].astype(np.int32)
        train, test = split_indices(len(y), y, out, dataset)
        add_dataset(dataset, label, "classification", y[train], y[test], [str(c) for c in bunch.target_names])
        add_matrix(dataset, "raw", X[train], X[test], names)
        add_matrix(dataset, "standardized", *standardize(X[train], X[test]), names)

    tasks.append({"id": "linear-advertising", "dataset": "advertising", "matrix": "raw", "model": "linear", "degree": 1})
    tasks.append({"id": "linear2-advertising", "dataset": "advertising", "matrix": "raw", "model": "linear", "degree": 2})
    for dataset, matrix, weight in [("bank", "prepared", "balanced"), ("breast_cancer", "standardized", "none"),
                                    ("wine", "standardized", "none"), ("digits", "standardized", "none")]:
        tasks.append({"id": f"logistic-{dataset}", "dataset": dataset, "matrix": matrix, "model": "logistic",
                      "C": 1.0, "classWeight": weight, "maxIter": 1000})
    for dataset, matrix in [("bank", "prepared"), ("breast_cancer", "raw"), ("wine", "raw"), ("digits", "raw")]:
        tasks.append({"id": f"tree-{dataset}", "dataset": dataset, "matrix": matrix, "model": "tree",
                      "maxDepth": 6, "minSamplesLeaf": 1, "criterion": "gini"})
    for dataset, matrix, limit in [("bank", "prepared", SVM_BANK_ROWS), ("breast_cancer", "standardized", None),
                                   ("wine", "standardized", None), ("digits", "standardized", None)]:
        tasks.append({"id": f"svm-{dataset}", "dataset": dataset, "matrix": matrix, "model": "svm", "C": 1.0,
                      "gamma": "scale", "trainRows": limit})

    with open(os.path.join(out, "tasks.json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "seed": SEED, "testSize": TEST_SIZE,
                   "repeats": REPEATS, "warmup": WARMUP, "datasets": datasets, "tasks": tasks}, f, indent=1)


def load_task_data(out, meta, task):
    info = meta["datasets"][task["dataset"]]
    matrix = info["matrices"][task["matrix"]]
    X_train = load_matrix(out, f"{matrix['prefix']}-train", matrix["cols"])
    X_test = load_matrix(out, f"{matrix['prefix']}-test", matrix["cols"])
    if info["kind"] == "classification":
        y_train, y_test = load_labels(out, f"{task['dataset']}-ytrain"), load_labels(out, f"{task['dataset']}-ytest")
    else:
        y_train = load_matrix(out, f"{task['dataset']}-ytrain", 1).ravel()
        y_test = load_matrix(out, f"{task['dataset']}-ytest", 1).ravel()
    if task.get("trainRows"):
        X_train, y_train = X_train[: task["trainRows"]], y_train[: task["trainRows"]]
    return X_train, y_train, X_test, y_test


def make_model(task):
    if task["model"] == "linear":
        return LinearRegression()
    if task["model"] == "logistic":
        return LogisticRegression(C=task["C"], class_weight="balanced" if task["classWeight"] == "balanced" else None,
                                  max_iter=task["maxIter"])
    if task["model"] == "tree":
        return DecisionTreeClassifier(max_depth=task["maxDepth"], min_samples_leaf=task["minSamplesLeaf"],
                                      criterion=task["criterion"], random_state=SEED)
    return SVC(kernel="rbf", C=task["C"], gamma=task["gamma"], probability=True, random_state=SEED)


def auc(y, proba, K):
    return float(roc_auc_score(y, proba[:, 1]) if K == 2 else roc_auc_score(y, proba, multi_class="ovr", average="macro"))


class Fitter:
    """One task's data and the fits made on it so far."""

    def __init__(self, out, meta, task):
        self.meta, self.task, self.times, self.model = meta, task, [], None
        self.X_train, self.y_train, self.X_test, self.y_test = load_task_data(out, meta, task)
        if task["model"] == "linear":
            poly = PolynomialFeatures(task["degree"], include_bias=False)
            self.X_train, self.X_test = poly.fit_transform(self.X_train), poly.transform(self.X_test)

    def fit(self, timed):
        model = make_model(self.task)
        started = time.perf_counter()
        model.fit(self.X_train, self.y_train)
        elapsed = (time.perf_counter() - started) * 1000
        if timed:
            self.times.append(elapsed)
            self.model = model
        return elapsed

    def result(self):
        task, model, X_test, y_test = self.task, self.model, self.X_test, self.y_test
        result = {"fitMs": statistics.median(self.times), "fitMsAll": self.times, "trainRows": int(self.X_train.shape[0]),
                  "trainCols": int(self.meta["datasets"][task["dataset"]]["matrices"][task["matrix"]]["cols"])}
        if task["model"] == "linear":
            result.update(r2=float(r2_score(y_test, model.predict(X_test))), intercept=float(model.intercept_),
                          coefficients=model.coef_.tolist())
            return result
        K = len(self.meta["datasets"][task["dataset"]]["classes"])
        proba = model.predict_proba(X_test)
        result.update(accuracy=float(accuracy_score(y_test, model.predict(X_test))), auc=auc(y_test, proba, K))
        if task["model"] == "logistic":
            result["iterations"] = int(np.max(model.n_iter_))
        if task["model"] == "tree":
            # scikit-learn visits features in a random order and keeps the first of equally good
            # splits, so its own tree depends on random_state; record that spread for context.
            spread = []
            for seed in range(TREE_SEEDS):
                other = DecisionTreeClassifier(max_depth=task["maxDepth"], min_samples_leaf=task["minSamplesLeaf"],
                                               criterion=task["criterion"], random_state=seed).fit(self.X_train, self.y_train)
                spread.append((accuracy_score(y_test, other.predict(X_test)), auc(y_test, other.predict_proba(X_test), K)))
            result["seedSpread"] = {"seeds": TREE_SEEDS, "accuracy": [min(a for a, _ in spread), max(a for a, _ in spread)],
                                    "auc": [min(b for _, b in spread), max(b for _, b in spread)]}
        return result


def serve(out):
    """Fits on request, one line per command on stdin, one JSON line back on stdout:
    `warmup <task>` (untimed fit), `fit <task>` (timed fit), `result <task>` (metrics of the last timed fit).
    bench-parity.ts alternates these with its own fits, so both sides run under the same machine load."""
    meta = json.load(open(os.path.join(out, "tasks.json")))
    tasks = {task["id"]: task for task in meta["tasks"]}
    fitters = {}
    for line in sys.stdin:
        command, task_id = line.split()
        if task_id not in fitters:
            fitters.clear()
            fitters[task_id] = Fitter(out, meta, tasks[task_id])
        fitter = fitters[task_id]
        if command in ("warmup", "fit"):
            reply = {"ms": fitter.fit(timed=command == "fit")}
        elif command == "result":
            reply = fitter.result()
        else:
            reply = {"error": f"unknown command {command}"}
        print(json.dumps(reply), flush=True)


def check(out):
    """Scores Pipelab's own predictions with sklearn.metrics and compares with Pipelab's metrics.ts numbers."""
    meta = json.load(open(os.path.join(out, "tasks.json")))
    pipelab = json.load(open(os.path.join(out, "pipelab.json")))
    results = {}
    for task in meta["tasks"]:
        ours = pipelab[task["id"]]["metrics"]
        _, _, X_test, y_test = load_task_data(out, meta, task)
        if task["model"] == "linear":
            pred = load_matrix(out, f"pred-{task['id']}", 1).ravel()
            reference = {"r2": r2_score(y_test, pred), "mae": mean_absolute_error(y_test, pred),
                         "rmse": float(np.sqrt(mean_squared_error(y_test, pred)))}
            results[task["id"]] = {"maxAbsDiff": {k: abs(float(v) - ours[k]) for k, v in reference.items()},
                                   "confusionEqual": None}
            continue
        K = len(meta["datasets"][task["dataset"]]["classes"])
        pred = load_labels(out, f"pred-{task['id']}")
        proba = load_matrix(out, f"proba-{task['id']}", K)
        reference = {"accuracy": accuracy_score(y_test, pred), "rocAuc": auc(y_test, proba, K),
                     "macroF1": f1_score(y_test, pred, average="macro")}
        confusion = confusion_matrix(y_test, pred, labels=list(range(K)))
        results[task["id"]] = {"maxAbsDiff": {k: abs(float(v) - ours[k]) for k, v in reference.items()},
                               "confusionEqual": bool(np.array_equal(confusion, np.array(ours["confusion"])))}
    with open(os.path.join(out, "check.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("prepare", "serve", "check"):
        sys.exit("usage: bench-parity.py prepare|serve|check <dir>")
    {"prepare": prepare, "serve": serve, "check": check}[sys.argv[1]](sys.argv[2])
