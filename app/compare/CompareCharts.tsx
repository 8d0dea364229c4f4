'use client';

import { memo, useMemo, useState } from 'react';
import { formatNumber } from '../_components/format';
import { ConfusionMatrix, CONFUSION_NOTE } from '../../charts/ConfusionMatrix';
import { RocPlot, type RocCurve } from '../../charts/RocChart';
import { runColor, runTag } from './compare-model';
import type { Comparison } from './types';

/** Every run's ROC curve on one chart, coloured like its run. */
export const CompareRoc = memo(function CompareRoc({ comparison }: { comparison: Comparison }) {
  const [selected, setSelected] = useState<string | null>(null);
  const curves = useMemo<RocCurve[]>(() => {
    const perRun = new Map<number, number>();
    for (const curve of comparison.rocCurves) perRun.set(curve.runIndex, (perRun.get(curve.runIndex) ?? 0) + 1);
    return comparison.rocCurves.map((curve, index) => {
      const auc = comparison.runs[curve.runIndex]?.metrics.rocAuc;
      const several = (perRun.get(curve.runIndex) ?? 0) > 1;
      return {
        id: `${curve.runIndex}-${index}`,
        label: several ? `${runTag(curve.runIndex)} ${curve.model}` : runTag(curve.runIndex),
        color: runColor(curve.runIndex),
        fpr: curve.fpr,
        tpr: curve.tpr,
        extra: !several && auc !== undefined ? `AUC ${formatNumber(auc)}` : undefined,
      };
    });
  }, [comparison]);
  return (
    <section className="compare-section compare-chart" data-testid="compare-roc">
      <h2>ROC curves</h2>
      {curves.length === 0 ? (
        <p className="muted">No ROC curves: they are drawn for yes/no predictions whose models give probabilities.</p>
      ) : (
        <RocPlot
          curves={curves}
          selected={selected}
          onSelect={(id) => setSelected((current) => (current === id ? null : id))}
          testId="compare-roc-chart"
          ariaLabel="ROC curves of the compared runs"
          className="compare-roc-plot"
          caption="The closer a curve hugs the top-left corner, the better the run’s model tells positives from negatives. Click a run to bring its curve forward."
        />
      )}
    </section>
  );
});

/** The mix-up table of each run, side by side. */
export const CompareConfusions = memo(function CompareConfusions({ comparison }: { comparison: Comparison }) {
  const { confusions, runs } = comparison;
  return (
    <section className="compare-section" data-testid="compare-confusions">
      <h2>Right and wrong answers</h2>
      {confusions.length === 0 ? (
        <p className="muted">No confusion matrices: they are made for predictions of a category (yes/no, segment…).</p>
      ) : (
        <>
        <p className="muted small">Rows are the real answers, columns the predicted ones. {CONFUSION_NOTE}</p>
        <div className="confusion-grid">
          {confusions.map((entry, index) => (
            <figure key={`${entry.runIndex}-${index}`} className="confusion-card" style={{ borderTopColor: runColor(entry.runIndex) }}>
              <figcaption>
                <strong>{runTag(entry.runIndex)}</strong> <span className="muted small">{entry.model}</span>
                {runs[entry.runIndex]?.pipelineVersion != null && (
                  <span className="version-tag">v{runs[entry.runIndex].pipelineVersion}</span>
                )}
              </figcaption>
              <ConfusionMatrix classes={entry.classes} matrix={entry.matrix} showNote={false} />
            </figure>
          ))}
        </div>
        </>
      )}
    </section>
  );
});
