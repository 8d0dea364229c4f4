#!/usr/bin/env python3
"""Reference numbers for models/preprocessing/pca.test.ts, feature-selection.test.ts, resample.test.ts
and models/evaluation/cross-validation.test.ts.

Run with a Python that has scikit-learn (Debian: apt-get install python3-sklearn):
    /usr/bin/python3 scripts/sklearn-features-reference.py            # the numbers
    /usr/bin/python3 scripts/sklearn-features-reference.py --data     # the embedded data sets
and paste the printed values into the tests. The figures in the tests come from scikit-learn 1.2.
The iris and wine tables are the copies bundled with scikit-learn, written out compactly
(one row per space-separated item, values comma-separated, the wine class last).
"""
import json
import sys

import numpy as np
from scipy import stats
from sklearn.datasets import load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest, f_classif, f_regression, mutual_info_classif
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.class_weight import compute_class_weight

from reference_output import show


def compact_number(value):
    text = repr(float(value))
    return text[:-2] if text.endswith('.0') else text


def print_rows(name, rows, width=118):
    items = [','.join(compact_number(v) for v in row) for row in rows]
    print(f'{name}:')
    line = ''
    for item in items:
        if line and len(line) + 1 + len(item) > width:
            print(line)
            line = item
        else:
            line = f'{line} {item}' if line else item
    print(line)


def wine_regression():
    """Alcohol content regressed on the other twelve wine measurements."""
    wine = load_wine()
    return np.delete(wine.data, 0, axis=1), wine.data[:, 0]


# ---------------------------------------------------------------- PCA
def pca_references():
    X = load_iris().data
    full = PCA().fit(X)
    show('iris mean', full.mean_)
    show('iris explained variance', full.explained_variance_)
    show('iris explained variance ratio', full.explained_variance_ratio_)
    show('iris components', full.components_)
    two = PCA(n_components=2).fit(X)
    show('iris 2-component ratio', two.explained_variance_ratio_)
    show('iris 2-component transform of rows 0, 50, 100', two.transform(X[[0, 50, 100]]))


# ---------------------------------------------------------------- feature selection
def feature_selection_references():
    wine = load_wine()
    X, y = wine.data, wine.target
    scores, p_values = f_classif(X, y)
    show('wine f_classif scores', scores)
    show('wine f_classif p-values', p_values)
    show('wine SelectKBest(f_classif, k=5) support', np.flatnonzero(SelectKBest(f_classif, k=5).fit(X, y).get_support()))

    Xr, yr = wine_regression()
    scores, p_values = f_regression(Xr, yr)
    show('wine alcohol f_regression scores', scores)
    show('wine alcohol f_regression p-values', p_values)
    show('wine SelectKBest(f_regression, k=4) support', np.flatnonzero(SelectKBest(f_regression, k=4).fit(Xr, yr).get_support()))

    # P(F > f) for (f, d1, d2), including tiny tails and many degrees of freedom.
    cases = [(0.5, 1, 10), (3.2, 2, 50), (1e-6, 3, 7), (250.0, 4, 400), (1.01, 60, 5000), (0.8, 1000, 1000)]
    show('F distribution survival [f, d1, d2, p]', [[f, d1, d2, stats.f.sf(f, d1, d2)] for f, d1, d2 in cases])

    # The estimator adds random noise; several seeds show how much the scores move.
    for seed in (0, 1, 2):
        show(f'wine mutual_info_classif random_state={seed}', mutual_info_classif(X, y, random_state=seed))
    show('wine SelectKBest(mutual_info, k=5) support, random_state=0',
         np.flatnonzero(SelectKBest(lambda a, b: mutual_info_classif(a, b, random_state=0), k=5).fit(X, y).get_support()))


# ---------------------------------------------------------------- cross-validation and resampling
def fold_class_counts(labels, folds):
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    classes = sorted(set(labels))
    counts = []
    for _, test in splitter.split(np.zeros(len(labels)), labels):
        counts.append([int(np.sum(labels[test] == c)) for c in classes])
    return counts


def cross_validation_references():
    labels = np.array(['no'] * 883 + ['yes'] * 117)
    show('StratifiedKFold(5) test counts per fold [no, yes]', fold_class_counts(labels, 5))
    labels = np.array(['a'] * 10 + ['b'] * 7 + ['c'] * 4)
    show('StratifiedKFold(3) test counts per fold [a, b, c]', fold_class_counts(labels, 3))
    scores = np.array([0.81, 0.79, 0.84, 0.8, 0.77])
    show('mean and population std of fold scores', [scores.mean(), scores.std()])


def resample_references():
    labels = np.array([0] * 90 + [1] * 8 + [2] * 2)
    show('balanced class weights for counts 90/8/2', compute_class_weight('balanced', classes=np.arange(3), y=labels))


if __name__ == '__main__':
    if '--data' in sys.argv:
        print_rows('iris', load_iris().data)
        wine = load_wine()
        print_rows('wine', np.column_stack([wine.data, wine.target]))
    else:
        pca_references()
        feature_selection_references()
        cross_validation_references()
        resample_references()
