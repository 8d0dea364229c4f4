#!/usr/bin/env python3
"""Reference figures for models/explain/explain.test.ts, from scikit-learn (written against 1.2.1).

    /usr/bin/python3 scripts/explain-reference.py

writes models/fixtures/explain-reference.json:
- permutation importance (sklearn.inspection.permutation_importance, random_state fixed) of a logistic
  regression (ROC AUC and accuracy) and of a decision tree (accuracy) on breast-cancer test rows, with the
  row orders scikit-learn drew: NumPy's generator cannot be reproduced in TypeScript, so the test feeds
  the very same shuffles to Pipelab's implementation and the figures must agree exactly;
- the fitted models (coefficients, the tree's nodes), so both sides score with the same model;
- linear contributions coef × (x − training mean) for a linear regression (diabetes) and a logistic
  regression, with scikit-learn's predict / decision_function, which they must add up to.
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURE = os.path.join(ROOT, 'models', 'fixtures', 'explain-reference.json')
SEED = 7
REPEATS = 5


def sklearn_permutations(n_rows, random_state, n_repeats):
    """The row orders permutation_importance applies to every column, relative to the original rows (1.2.1: one
    seed shared by all columns, one index array shuffled again per repeat and applied to the already shuffled column)."""
    rs = np.random.RandomState(random_state)
    seed = rs.randint(np.iinfo(np.int32).max + 1)
    column_rs = np.random.RandomState(seed)
    idx = np.arange(n_rows)
    effective = np.arange(n_rows)
    orders = []
    for _ in range(n_repeats):
        column_rs.shuffle(idx)
        # The column is shuffled in place, so each repeat reorders the previous repeat's order.
        effective = effective[idx]
        orders.append(effective.tolist())
    return orders


def check_by_hand(model, X, y, scorer, orders, result):
    """The same figures computed plainly, so the fixture's orders are known to be the ones scikit-learn used."""
    baseline = scorer(model, X, y)
    for j in range(X.shape[1]):
        drops = []
        for order in orders:
            Xp = X.copy()
            Xp[:, j] = X[order, j]
            drops.append(baseline - scorer(model, Xp, y))
        assert np.allclose(drops, result.importances[j], atol=1e-12), (j, drops, result.importances[j])


def tree_nodes(tree, names):
    t = tree.tree_
    nodes = []
    depth = {0: 0}
    for i in range(t.node_count):
        node = {'id': i, 'depth': depth[i], 'samples': int(t.n_node_samples[i]), 'value': t.value[i][0].tolist(), 'impurity': float(t.impurity[i])}
        if t.children_left[i] != -1:
            node.update(feature=int(t.feature[i]), featureName=names[t.feature[i]], threshold=float(t.threshold[i]), left=int(t.children_left[i]), right=int(t.children_right[i]))
            depth[t.children_left[i]] = depth[i] + 1
            depth[t.children_right[i]] = depth[i] + 1
        nodes.append(node)
    return nodes


def main():
    from sklearn.metrics import get_scorer

    data = load_breast_cancer()
    columns = list(range(8))
    X = data.data[:, columns]
    names = [data.feature_names[j] for j in columns]
    y = data.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    orders = sklearn_permutations(X_test.shape[0], SEED, REPEATS)

    logistic = LogisticRegression(C=1.0).fit(X_train, y_train)
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X_train, y_train)
    importance = {}
    for label, model, scoring in [('logisticRocAuc', logistic, 'roc_auc'), ('logisticAccuracy', logistic, 'accuracy'), ('treeAccuracy', tree, 'accuracy')]:
        result = permutation_importance(model, X_test, y_test, scoring=scoring, n_repeats=REPEATS, random_state=SEED)
        check_by_hand(model, X_test, y_test, get_scorer(scoring), orders, result)
        importance[label] = {
            'scoring': scoring,
            'baseline': float(get_scorer(scoring)(model, X_test, y_test)),
            'mean': result.importances_mean.tolist(),
            'std': result.importances_std.tolist(),
            'drops': result.importances.tolist(),
        }

    diabetes = load_diabetes()
    Xd_train, Xd_test, yd_train, _ = train_test_split(diabetes.data, diabetes.target, test_size=0.2, random_state=0)
    linear = LinearRegression().fit(Xd_train, yd_train)
    linear_means = Xd_train.mean(axis=0)
    linear_rows = Xd_test[:10]

    logistic_means = X_train.mean(axis=0)
    logistic_rows = X_test[:10]

    fixture = {
        'sklearn': __import__('sklearn').__version__,
        'permutation': {
            'features': names,
            'X': X_test.tolist(),
            'y': y_test.tolist(),
            'orders': orders,
            'repeats': REPEATS,
            'logistic': {'coefficients': logistic.coef_.tolist(), 'intercepts': logistic.intercept_.tolist()},
            'tree': {'nodes': tree_nodes(tree, names)},
            'importance': importance,
        },
        'linear': {
            'features': list(diabetes.feature_names),
            'coefficients': linear.coef_.tolist(),
            'intercept': float(linear.intercept_),
            'means': linear_means.tolist(),
            'rows': linear_rows.tolist(),
            'contributions': (linear.coef_ * (linear_rows - linear_means)).tolist(),
            'base': float(linear.intercept_ + linear.coef_ @ linear_means),
            'predictions': linear.predict(linear_rows).tolist(),
        },
        'logistic': {
            'means': logistic_means.tolist(),
            'rows': logistic_rows.tolist(),
            'contributions': (logistic.coef_[0] * (logistic_rows - logistic_means)).tolist(),
            'base': float(logistic.intercept_[0] + logistic.coef_[0] @ logistic_means),
            'decisionFunction': logistic.decision_function(logistic_rows).tolist(),
        },
    }
    with open(FIXTURE, 'w') as f:
        json.dump(fixture, f, indent=1)
    print(f'wrote {FIXTURE}')


if __name__ == '__main__':
    main()
