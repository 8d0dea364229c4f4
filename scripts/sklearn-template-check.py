"""Fits scikit-learn's model on the rows Pipelab's template used and prints both sets of metrics.

Usage: /usr/bin/python3 scripts/sklearn-template-check.py <dir written by export-template-split.ts>
"""
import importlib.util
import json
import os
import sys

import numpy as np
import csv
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, mean_absolute_error, r2_score, roc_auc_score, mean_squared_error

# The top-20% capture is read off scikit-learn's roc_curve the same way as in sklearn-capture-reference.py.
_spec = importlib.util.spec_from_file_location(
    'capture_reference', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sklearn-capture-reference.py'))
capture_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(capture_reference)

out = sys.argv[1]
info = json.load(open(f"{out}/pipelab.json"))
target = info["target"]


def read(name):
    with open(f"{out}/{name}") as f:
        rows = list(csv.reader(f))
    return {column: [row[j] for row in rows[1:]] for j, column in enumerate(rows[0])}


train, test = read("train.csv"), read("test.csv")
features = [c for c in train if c != target]
X_train = np.array([train[c] for c in features], dtype=float).T
X_test = np.array([test[c] for c in features], dtype=float).T
params = info["params"]

if "degree" in params:
    y_train, y_test = np.array(train[target], dtype=float), np.array(test[target], dtype=float)
    model = LinearRegression().fit(X_train, y_train)
    pred = model.predict(X_test)
    ours = {"r2": r2_score(y_test, pred), "mae": mean_absolute_error(y_test, pred),
            "rmse": float(np.sqrt(mean_squared_error(y_test, pred)))}
else:
    y_train, y_test = np.array(train[target]), np.array(test[target])
    model = LogisticRegression(C=1 / params["l2"], class_weight="balanced" if params.get("classWeight") == "balanced" else None,
                               max_iter=1000).fit(X_train, y_train)
    pred = model.predict(X_test)
    proba = model.predict_proba(X_test)[:, 1]
    ours = {"accuracy": accuracy_score(y_test, pred), "balancedAccuracy": balanced_accuracy_score(y_test, pred),
            "macroF1": f1_score(y_test, pred, average="macro"), "rocAuc": roc_auc_score(y_test == model.classes_[1], proba),
            "captureAt20": capture_reference.capture_at((y_test == model.classes_[1]).astype(int), proba, 0.2)}

print(json.dumps({"scikit-learn": ours, "pipelab": info["metrics"]}, indent=2))
