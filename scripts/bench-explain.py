#!/usr/bin/env python3
"""Times scikit-learn's permutation_importance on the split scripts/bench-explain.ts wrote (run that first):
5 shuffles, ROC AUC, one original column at a time (a text column's one-hot features shuffled together, as
Pipelab does: scikit-learn shuffles single features, so each group is timed through a small wrapper that
permutes the group's features with one order), for the same three kinds of model.
    /usr/bin/python3 scripts/bench-explain.py
"""
import json
import os
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
split = json.load(open(os.path.join(ROOT, 'test-results', 'bench-explain', 'split.json')))
cols = len(split['features'])
X_train = np.array(split['trainX']).reshape(-1, cols)
y_train = np.array(split['trainY'])
X_test = np.array(split['testX']).reshape(-1, cols)
y_test = np.array(split['testY'])
groups = [g['features'] for g in split['groups']]


def grouped_importance(model, X, y, repeats=5, seed=0):
    """sklearn.inspection.permutation_importance's loop, shuffling each original column's features with one order."""
    rng = np.random.RandomState(seed)
    baseline = roc_auc_score(y, model.predict_proba(X)[:, 1])
    out = []
    for features in groups:
        drops = []
        for _ in range(repeats):
            order = rng.permutation(X.shape[0])
            Xp = X.copy()
            Xp[:, features] = X[order][:, features]
            drops.append(baseline - roc_auc_score(y, model.predict_proba(Xp)[:, 1]))
        out.append(np.mean(drops))
    return out


def per_feature_importance(model, X, y):
    from sklearn.inspection import permutation_importance
    return permutation_importance(model, X, y, scoring='roc_auc', n_repeats=5, random_state=0)


models = [
    ('Logistic regression', LogisticRegression(C=1.0, max_iter=1000).fit(X_train, y_train)),
    ('Decision tree (depth 5)', DecisionTreeClassifier(max_depth=5, random_state=0).fit(X_train, y_train)),
    ('SVM (RBF, 3,000 training rows)', SVC(probability=True, random_state=0).fit(X_train[:3000], y_train[:3000])),
]
print('| model | test rows | grouped, 16 columns (s) | permutation_importance, every feature (s) |')
print('| --- | --- | --- | --- |')
for name, model in models:
    for rows in ([500, 2000] if name.startswith('SVM') else [2000, X_test.shape[0]]):
        X, y = X_test[:rows], y_test[:rows]
        started = time.perf_counter()
        grouped_importance(model, X, y)
        grouped = time.perf_counter() - started
        started = time.perf_counter()
        per_feature_importance(model, X, y)
        full = time.perf_counter() - started
        print(f'| {name} | {rows:,} | {grouped:.2f} | {full:.2f} |')
