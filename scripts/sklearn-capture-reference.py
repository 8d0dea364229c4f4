#!/usr/bin/env python3
"""Reference numbers for captureAtTop in models/evaluation/metrics.test.ts.

Run with a Python that has scikit-learn and pandas:
    /usr/bin/python3 scripts/sklearn-capture-reference.py
and paste the printed values into the test. The capture at the top 20% is read off the cumulative
gains curve built from scikit-learn's roc_curve (every distinct score is one step, so tied rows are
shared out in proportion), interpolated at 20% of the rows; where no rows tie at the cut it must
equal the recall of flagging exactly the top 20%, which is printed beside it.
"""
import os

import numpy as np
import pandas as pd
from sklearn.metrics import recall_score, roc_curve

from reference_output import show

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def capture_at(y_true, scores, share):
    fpr, tpr, _ = roc_curve(y_true, scores, drop_intermediate=False)
    positives = int(np.sum(y_true == 1))
    negatives = len(y_true) - positives
    rows_called = (tpr * positives + fpr * negatives) / len(y_true)
    return float(np.interp(share, rows_called, tpr))


def top_rows_recall(y_true, scores, share):
    k = int(round(share * len(y_true)))
    flagged = np.zeros(len(y_true), dtype=int)
    flagged[np.argsort(-scores, kind='stable')[:k]] = 1
    return recall_score(y_true, flagged)


def main():
    hand_true = np.array([1, 0, 1, 0, 0, 0, 1, 0, 0, 0])
    hand_scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    show('hand capture@20', capture_at(hand_true, hand_scores, 0.2))
    show('hand capture@30', capture_at(hand_true, hand_scores, 0.3))

    bank = pd.read_csv(os.path.join(ROOT, 'samples', 'bank-marketing.csv'), sep=';')
    y = (bank['y'] == 'yes').astype(int).to_numpy()
    for column in ['duration', 'balance', 'age']:
        scores = bank[column].to_numpy(dtype=float)
        show(f'bank {column} capture@20', capture_at(y, scores, 0.2))
        show(f'bank {column} recall of the top 20% (stable order)', top_rows_recall(y, scores, 0.2))
    # Distinct scores (no ties): the interpolated capture equals the recall of the top rows.
    untied = bank['duration'].to_numpy(dtype=float) + np.arange(len(bank)) * 1e-7
    show('bank untied duration capture@20', capture_at(y, untied, 0.2))
    show('bank untied duration recall of the top 20%', top_rows_recall(y, untied, 0.2))


if __name__ == '__main__':
    main()
