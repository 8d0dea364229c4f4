"""Reference figures for models/evaluation/drift.test.ts, from scipy and numpy.
Run: /usr/bin/python3 scripts/drift-reference.py  (the numbers it prints are pasted into the test)."""
import numpy as np
from scipy import stats

rng = np.random.default_rng(7)
a = np.round(rng.normal(40, 10, 200), 1)
b = np.round(rng.normal(45, 12, 150), 1)
print('a =', list(a))
print('b =', list(b))
result = stats.ks_2samp(a, b, method='asymp')
print('ks_2samp statistic', repr(result.statistic))
en = len(a) * len(b) / (len(a) + len(b))
print('kstwobign.sf(D*sqrt(en))', repr(stats.kstwobign.sf(result.statistic * np.sqrt(en))))
print('ks_2samp asymp pvalue', repr(result.pvalue))

small_a = [1.0, 2.0, 3.0, 4.0, 5.0]
small_b = [3.5, 4.5, 5.5, 6.5]
print('small statistic', repr(stats.ks_2samp(small_a, small_b).statistic))
for x in [0.5, 1.0, 1.36, 2.0]:
    print('kstwobign.sf', x, repr(stats.kstwobign.sf(x)))

# Deciles with linear interpolation, as quantileEdges computes them.
print('deciles of a', list(np.quantile(a, np.arange(1, 10) / 10)))
