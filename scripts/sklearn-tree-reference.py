#!/usr/bin/env python3
"""Reference trees for models/tree/decision-tree.test.ts, from scikit-learn's DecisionTreeClassifier and
DecisionTreeRegressor (the tests were written against scikit-learn 1.2.1).

Run with a Python that has scikit-learn (Debian: apt-get install python3-sklearn):
    /usr/bin/python3 scripts/sklearn-tree-reference.py
It prints the literals for the small hand-made dataset (pasted into the test) and writes
models/fixtures/decision-tree-reference.json with the datasets, the train/test row indices and
the fitted trees.

scikit-learn breaks ties between equally good splits by a random feature order. Pipelab's tree
follows the same order for the same random_state (its randomState parameter), so each case keeps
scikit-learn's tree for the case's random_state (`sameSeed`). Each case is also fitted under 40 random
states: `tieFree` says whether they all grew the same tree, and the fixture keeps the nodes every
random state grows from the same training rows (with each split chosen there), and the
importances and test predictions they all agree on. Those hold however ties are broken.
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURE = os.path.join(ROOT, 'models', 'fixtures', 'decision-tree-reference.json')
SEEDS = range(40)

# Small table with distinct values in each column, so no two candidate splits tie.
HAND_X = [[1.0, 7.5], [2.5, 3.0], [3.0, 8.25], [4.5, 1.0], [5.0, 6.0], [6.5, 2.0],
          [7.0, 9.0], [8.5, 4.0], [9.0, 5.5], [10.5, 0.5], [11.0, 6.5], [12.5, 3.5]]
HAND_Y = [0, 0, 0, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def build(params, seed):
    common = dict(max_depth=params['maxDepth'], min_samples_leaf=params['minSamplesLeaf'],
                  min_samples_split=params['minSamplesSplit'], random_state=seed)
    if params['task'] == 'classification':
        weight = 'balanced' if params['classWeight'] == 'balanced' else None
        return DecisionTreeClassifier(criterion=params['criterion'], class_weight=weight, **common)
    return DecisionTreeRegressor(criterion='squared_error', **common)


def tree_arrays(model):
    t = model.tree_
    return {
        'feature': t.feature.tolist(),
        'threshold': t.threshold.tolist(),
        'left': t.children_left.tolist(),
        'right': t.children_right.tolist(),
        'samples': t.n_node_samples.tolist(),
        'impurity': t.impurity.tolist(),
        'value': t.value[:, 0, :].tolist(),
    }


def structure(model):
    t = model.tree_
    return (tuple(t.feature), tuple(t.threshold), tuple(t.n_node_samples))


def nodes_by_path(model, X_train):
    """Each node keyed by its path from the root ('' is the root, then L/R per step)."""
    t = model.tree_
    reach = model.decision_path(X_train).tocsc()
    found = {}
    stack = [(0, '')]
    while stack:
        node, path = stack.pop()
        leaf = t.children_left[node] < 0
        found[path] = {
            'rows': tuple(reach[:, node].nonzero()[0].tolist()),
            'split': None if leaf else (int(t.feature[node]), float(t.threshold[node])),
            'samples': int(t.n_node_samples[node]),
            'value': t.value[node, 0, :].tolist(),
            'impurity': float(t.impurity[node]),
        }
        if not leaf:
            stack += [(t.children_left[node], path + 'L'), (t.children_right[node], path + 'R')]
    return found


def determined_nodes(models, X_train):
    """Nodes that every random state grows from the same training rows, with every split it chose there."""
    per_model = [nodes_by_path(m, X_train) for m in models]
    result = []
    for path, node in sorted(per_model[0].items(), key=lambda item: (len(item[0]), item[0])):
        others = [nodes.get(path) for nodes in per_model]
        if any(other is None or other['rows'] != node['rows'] for other in others):
            continue
        choices = sorted({other['split'] for other in others if other['split'] is not None})
        result.append({'path': path, 'samples': node['samples'], 'value': node['value'],
                       'impurity': node['impurity'], 'splits': [list(c) for c in choices]})
    return result


def agreed(columns):
    """Per position, the value all random states agree on (to 1e-12), else None."""
    stacked = np.array(columns, dtype=float)
    same = np.all(np.isclose(stacked, stacked[0], rtol=1e-12, atol=1e-15), axis=0)
    return [float(v) if ok else None for v, ok in zip(stacked[0], same)]


def fit_case(params, X_train, y_train):
    models = [build(params, seed).fit(X_train, y_train) for seed in SEEDS]
    tie_free = len({structure(m) for m in models}) == 1
    return models, tie_free


def make_params(task, **overrides):
    params = {'task': task, 'criterion': 'gini' if task == 'classification' else 'squared_error',
              'maxDepth': None, 'minSamplesLeaf': 1, 'minSamplesSplit': 2, 'classWeight': 'none', 'randomState': 0}
    params.update(overrides)
    return params


def hand_made_references():
    params = make_params('classification', maxDepth=3)
    models, tie_free = fit_case(params, np.array(HAND_X), np.array(HAND_Y))
    print('hand-made tie-free:', tie_free)
    for key, values in tree_arrays(models[0]).items():
        print(f'  {key}: {json.dumps(values)}')
    probe = [[0.0, 0.0], [4.6, 5.0], [6.0, 8.0], [12.0, 6.0], [8.0, 4.1]]
    print('  probe predictions:', json.dumps(models[0].predict(probe).tolist()))
    print('  importances:', json.dumps(models[0].feature_importances_.tolist()))


def datasets():
    cancer = load_breast_cancer()
    wine = load_wine()
    diabetes = load_diabetes(scaled=False)
    result = {}
    for name, data, stratify in [('breastCancer', cancer, True), ('wine', wine, True), ('diabetes', diabetes, False)]:
        rows = np.arange(len(data.target))
        train, test = train_test_split(rows, test_size=0.25, random_state=0,
                                       stratify=data.target if stratify else None)
        result[name] = {
            'featureNames': list(data.feature_names),
            'X': data.data.tolist(),
            'y': data.target.tolist(),
            'train': sorted(train.tolist()),
            'test': sorted(test.tolist()),
        }
    result.update(repeated_value_datasets())
    return result


def repeated_value_datasets():
    """Columns whose most common value is their lowest, highest or a middle value, a 0/1 flag,
    signed zeros and values closer than scikit-learn's 1e-7 tolerance: the layouts the split
    search treats specially."""
    rng = np.random.RandomState(7)
    n = 160

    def mostly(value, share, others):
        return np.where(rng.rand(n) < share, value, np.round(others, 3))

    X = np.column_stack([
        mostly(0.0, 0.6, np.exp(rng.normal(size=n))),
        mostly(5.0, 0.5, 5 - np.exp(rng.normal(size=n))),
        mostly(1.5, 0.4, rng.normal(size=n) * 2 + 1.5),
        (rng.rand(n) < 0.3).astype(float),
        rng.choice([-0.0, 0.0, 2.0, -1.0], size=n),
        np.round(rng.normal(size=n), 1) + np.where(rng.rand(n) < 0.5, 5e-8, 0.0),
    ])
    score = X[:, 0] * 1.2 - X[:, 1] * 0.8 + (X[:, 2] - 1.5) ** 2 + X[:, 3] * 1.5 + X[:, 4] * 0.3 + X[:, 5] + rng.normal(size=n)
    names = ['mostly zero', 'mostly five', 'mostly 1.5', 'flag', 'signed zero', 'close values']
    rows = np.arange(n)
    train, test = rows[rows % 4 != 0], rows[rows % 4 == 0]
    targets = {
        'repeatedThreeClass': np.digitize(score, np.quantile(score, [1 / 3, 2 / 3])),
        'repeatedTwoClass': (score > np.median(score)).astype(int),
        'repeatedNumeric': np.round(score * 10, 2),
    }
    # The three tables share their features; the fixture stores them once, under the first.
    result = {name: {'featureNames': names, 'xFrom': 'repeatedThreeClass', 'y': y.tolist(), 'train': train.tolist(),
                     'test': test.tolist()} for name, y in targets.items()}
    del result['repeatedThreeClass']['xFrom']
    result['repeatedThreeClass']['X'] = X.tolist()
    return result


CASES = [
    ('cancer gini depth 3', 'breastCancer', make_params('classification', maxDepth=3)),
    ('cancer gini depth 3, random state 7', 'breastCancer', make_params('classification', maxDepth=3, randomState=7)),
    ('cancer gini depth 2', 'breastCancer', make_params('classification', maxDepth=2)),
    ('cancer gini unlimited', 'breastCancer', make_params('classification')),
    ('cancer gini split 30', 'breastCancer', make_params('classification', minSamplesSplit=30)),
    ('cancer entropy depth 4 leaf 10', 'breastCancer',
     make_params('classification', criterion='entropy', maxDepth=4, minSamplesLeaf=10)),
    ('cancer balanced depth 3', 'breastCancer', make_params('classification', maxDepth=3, classWeight='balanced')),
    ('wine gini split 10', 'wine', make_params('classification', minSamplesSplit=10)),
    ('wine entropy balanced depth 3', 'wine',
     make_params('classification', criterion='entropy', maxDepth=3, classWeight='balanced')),
    ('diabetes depth 4', 'diabetes', make_params('regression', maxDepth=4)),
    ('diabetes leaf 20', 'diabetes', make_params('regression', minSamplesLeaf=20)),
    ('diabetes leaf 5', 'diabetes', make_params('regression', minSamplesLeaf=5)),
    ('repeated values, three classes, gini leaf 4', 'repeatedThreeClass', make_params('classification', minSamplesLeaf=4)),
    ('repeated values, three classes, entropy balanced', 'repeatedThreeClass',
     make_params('classification', criterion='entropy', maxDepth=4, classWeight='balanced')),
    ('repeated values, two classes, gini leaf 4', 'repeatedTwoClass', make_params('classification', minSamplesLeaf=4)),
    ('repeated values, regression leaf 3', 'repeatedNumeric', make_params('regression', minSamplesLeaf=3)),
]


def case_references(data):
    cases = []
    for name, dataset, params in CASES:
        d = data[dataset]
        X, y = np.array(d['X'] if 'X' in d else data[d['xFrom']]['X']), np.array(d['y'])
        X_train, y_train = X[d['train']], y[d['train']]
        X_test, y_test = X[d['test']], y[d['test']]
        models, tie_free = fit_case(params, X_train, y_train)
        score = accuracy_score if params['task'] == 'classification' else r2_score
        case = {
            'name': name,
            'dataset': dataset,
            'params': params,
            'tieFree': tie_free,
            'nodes': determined_nodes(models, X_train),
            'depths': sorted({int(m.get_depth()) for m in models}),
            'leafCounts': sorted({int(m.get_n_leaves()) for m in models}),
            'importances': agreed([m.feature_importances_ for m in models]),
            'testPredictions': agreed([m.predict(X_test) for m in models]),
            'testScores': sorted({float(score(y_test, m.predict(X_test))) for m in models}),
        }
        same_seed = models[SEEDS.index(params['randomState'])]
        case['sameSeed'] = {
            'tree': tree_arrays(same_seed),
            'importances': same_seed.feature_importances_.tolist(),
            'testPredictions': same_seed.predict(X_test).tolist(),
            'testScore': float(score(y_test, same_seed.predict(X_test))),
        }
        cases.append(case)
        print(f"{name}: tie-free {tie_free}, {models[0].tree_.node_count} nodes, "
              f"{len(case['nodes'])} determined, test scores {case['testScores']}")
    return cases


def main():
    hand_made_references()
    data = datasets()
    cases = case_references(data)
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, 'w') as f:
        json.dump({'datasets': data, 'cases': cases}, f, separators=(',', ':'))
    print(f'wrote {FIXTURE} ({os.path.getsize(FIXTURE)} bytes)')


if __name__ == '__main__':
    main()
