#!/usr/bin/env python3
"""Reference settings searches for nodes/lib/tuning.test.ts, from scikit-learn's GridSearchCV.

Run with a Python that has scikit-learn:
    /usr/bin/python3 scripts/sklearn-search-reference.py
It writes nodes/lib/fixtures/search-reference.json: a small yes/no table (make_classification, 30% "yes",
some labels flipped so settings really differ), the fold of every row (StratifiedKFold, shuffled), and for
a decision tree and a logistic regression every candidate's mean and standard deviation of the score over
those folds and the best settings GridSearchCV picks.

The score is Pipelab's ranking metric for yes/no answers: the share of "yes" found in the 20% of rows the
model scores most likely (captureAt20), read off the cumulative gains curve from scikit-learn's roc_curve
as in scripts/sklearn-capture-reference.py. The test hands Pipelab's search the same folds
(PredefinedSplit here), so the comparison is of the search, the training and the scoring.
"""
import json
import os

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_curve
from sklearn.model_selection import GridSearchCV, PredefinedSplit, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from reference_output import clean

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURE = os.path.join(ROOT, 'nodes', 'lib', 'fixtures', 'search-reference.json')
FOLDS = 5


def capture_at_20(y_true, scores):
    fpr, tpr, _ = roc_curve(y_true, scores, drop_intermediate=False)
    positives = int(np.sum(y_true == 1))
    negatives = len(y_true) - positives
    rows_called = (tpr * positives + fpr * negatives) / len(y_true)
    return float(np.interp(0.2, rows_called, tpr))


def search(estimator, grid, X, y, folds):
    # A plain callable scorer (works on every scikit-learn version): the probability of "yes" ranks the rows.
    def scorer(model, X_fold, y_fold):
        return capture_at_20(y_fold, model.predict_proba(X_fold)[:, 1])
    found = GridSearchCV(estimator, grid, scoring=scorer, cv=PredefinedSplit(folds), refit=False).fit(X, y)
    results = found.cv_results_
    return {
        'params': [dict(p) for p in results['params']],
        'mean': results['mean_test_score'],
        'std': results['std_test_score'],
        'bestIndex': int(found.best_index_),
        'bestParams': found.best_params_,
    }


def main():
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, n_redundant=1, weights=[0.7, 0.3],
                               flip_y=0.08, class_sep=0.8, random_state=3)
    X = np.round(X, 4)
    folds = np.zeros(len(y), dtype=int)
    for fold, (_, test) in enumerate(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(X, y)):
        folds[test] = fold
    tree = search(DecisionTreeClassifier(random_state=0),
                  {'max_depth': [2, 4, 6, 8, 10], 'min_samples_leaf': [1, 5, 20, 50]}, X, y, folds)
    # Pipelab's "ridge strength" l2 is 1 / C; its grid runs 0.001 … 100, so C runs 1000 … 0.01.
    l2_grid = [0.001, 0.01, 0.1, 1, 10, 100]
    logistic = search(LogisticRegression(max_iter=100), {'C': [1 / l2 for l2 in l2_grid]}, X, y, folds)
    logistic['l2'] = l2_grid
    fixture = {
        'X': X, 'y': y, 'folds': folds, 'tree': tree, 'logistic': logistic,
        'sklearn': __import__('sklearn').__version__,
    }
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, 'w') as out:
        json.dump(clean(fixture), out)
    print(f"tree best {tree['bestParams']} score {tree['mean'][tree['bestIndex']]:.4f}")
    print(f"logistic best {logistic['bestParams']} score {logistic['mean'][logistic['bestIndex']]:.4f}")
    print('tree scores', np.round(tree['mean'], 4).tolist())
    print('logistic scores', np.round(logistic['mean'], 4).tolist())


if __name__ == '__main__':
    main()
