#!/usr/bin/env python3
"""scikit-learn side of the settings-search benchmark (scripts/bench-tuning.ts):

    /usr/bin/python3 scripts/bench-tuning.py [repeats=3] [n_jobs=1]

GridSearchCV over the decision tree grid Pipelab searches (max_depth 2, 4, 6, 8, 10 × min_samples_leaf 1, 5,
20, 50: 20 settings), 5 stratified shuffled folds, on the bank-marketing sample as the "Predict campaign
response" template prepares it (rows with an empty cell dropped, text columns one-hot encoded, numbers
standardized, refitted inside every fold as Pipelab does, 80% of the rows stratified for training), scored by
the share of "yes" found in the top 20% (Pipelab's ranking metric for yes/no answers), then refitted on all
training rows with the best settings. Prints the median wall time.
"""
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.metrics import roc_curve
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def capture_at_20(y_true, scores):
    fpr, tpr, _ = roc_curve(y_true, scores, drop_intermediate=False)
    positives = int(np.sum(y_true == 1))
    negatives = len(y_true) - positives
    rows_called = (tpr * positives + fpr * negatives) / len(y_true)
    return float(np.interp(0.2, rows_called, tpr))


def scorer(model, X, y):
    return capture_at_20(y, model.predict_proba(X)[:, 1])


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    n_jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    bank = pd.read_csv(os.path.join(ROOT, 'samples', 'bank-marketing.csv'), sep=';').dropna()
    y = (bank.pop('y') == 'yes').astype(int).to_numpy()
    text = [c for c in bank.columns if bank[c].dtype == object]
    numbers = [c for c in bank.columns if c not in text]
    X_train, _, y_train, _ = train_test_split(bank, y, test_size=0.2, random_state=42, stratify=y)
    prepare = ColumnTransformer([('text', OneHotEncoder(handle_unknown='ignore'), text), ('numbers', StandardScaler(), numbers)])
    pipeline = Pipeline([('prepare', prepare), ('tree', DecisionTreeClassifier(random_state=0))])
    grid = {'tree__max_depth': [2, 4, 6, 8, 10], 'tree__min_samples_leaf': [1, 5, 20, 50]}
    folds = StratifiedKFold(5, shuffle=True, random_state=42)
    times, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        search = GridSearchCV(pipeline, grid, scoring=scorer, cv=folds, refit=True, n_jobs=n_jobs).fit(X_train, y_train)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        print(f'run: {times[-1]:.1f} s wall, {cpu[-1]:.1f} s CPU')
    best = search.best_params_
    print(f'scikit-learn {sklearn.__version__}, n_jobs={n_jobs}, {len(X_train)} training rows, load {os.getloadavg()[0]:.1f}')
    print(f'median GridSearchCV (20 settings × 5 folds + refit): {statistics.median(times):.1f} s wall, {statistics.median(cpu):.1f} s CPU')
    print(f"best: depth {best['tree__max_depth']}, leaf size {best['tree__min_samples_leaf']}, "
          f'score {search.best_score_:.4f} ± {search.cv_results_["std_test_score"][search.best_index_]:.4f}')


if __name__ == '__main__':
    main()
