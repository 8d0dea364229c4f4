'use client';

import { useState } from 'react';
import type { EvaluationPreview, ModelEvaluation } from '../../../nodes/preview';
import { formatHeadline, formatHeadlineDetail, formatNumber, metricShortLabel } from '../../_components/format';
import { ConfusionMatrix } from '../../../charts/ConfusionMatrix';
import { CrossValidationTable, Leaderboard } from './Leaderboard';
import { MetricsTable } from './MetricsTable';
import { MisclassifiedGallery } from './MisclassifiedGallery';
import { seriesColor } from './palette';
import { RocChart } from './RocChart';
import { ColumnImportanceList, OcclusionGallery } from './SeeWhy';
import { ScatterPlot } from '../../../charts/ScatterPlot';
import styles from './EvaluationView.module.css';
import resultsStyles from './results.module.css';

function Summary({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <ul className={resultsStyles.summaryList} data-testid="evaluation-summary">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function PerClassTable({ rows }: { rows: NonNullable<ModelEvaluation['perClass']> }) {
  if (rows.length === 0) return null;
  return (
    <table className="data-table compact per-class" data-testid="per-class-table">
      <thead>
        <tr>
          <th>Class</th>
          <th title="Of the rows predicted as this class, the share that were right">Precision</th>
          <th title="Of the rows that really are this class, the share found">Recall</th>
          <th title="Balance of precision and recall">F1</th>
          <th title="Test rows of this class">Rows</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <td>{row.label}</td>
            <td className="num">{formatNumber(row.precision)}</td>
            <td className="num">{formatNumber(row.recall)}</td>
            <td className="num">{formatNumber(row.f1)}</td>
            <td className="num">{row.support.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything known about one model's test: its sentences, scores, and where it went wrong. */
function ModelDetails({ model, preview }: { model: ModelEvaluation; preview: EvaluationPreview }) {
  const classes = preview.classes ?? model.perClass?.map((row) => row.label) ?? [];
  return (
    <div className="model-details" data-testid="model-details" data-node-id={model.nodeId}>
      <Summary lines={model.summary} />
      <div className={styles.evaluationGrid}>
        <MetricsTable metrics={model.metrics}>{model.perClass && <PerClassTable rows={model.perClass} />}</MetricsTable>
        {preview.task === 'classification' && model.confusion && (
          <div>
            <h5>Confusion matrix</h5>
            <ConfusionMatrix classes={classes} matrix={model.confusion} />
          </div>
        )}
        {preview.task === 'regression' && model.points && model.points.length > 0 && (
          <div>
            <h5>Predicted vs actual</h5>
            <ScatterPlot points={model.points} />
          </div>
        )}
      </div>
      {model.importance && model.importance.columns.length > 0 && (
        <div className={styles.misclassifiedSection}>
          <h5>Which columns matter most</h5>
          <ColumnImportanceList importance={model.importance} />
        </div>
      )}
      {model.occlusion && model.occlusion.length > 0 && (
        <div className={styles.misclassifiedSection}>
          <h5>Which part of the photo drove the answer</h5>
          <p className="muted small">Red marks the parts that, greyed out, lower the chance of the predicted label most.</p>
          <OcclusionGallery maps={model.occlusion} />
        </div>
      )}
      {model.misclassified && (
        <div className={styles.misclassifiedSection}>
          <h5>Test images it got wrong</h5>
          {model.misclassified.length > 0 && (
            <p className="muted small">The mistakes the model was most sure about come first.</p>
          )}
          <MisclassifiedGallery images={model.misclassified} />
        </div>
      )}
    </div>
  );
}

function ModelTabs({ models, selected, onSelect }: { models: ModelEvaluation[]; selected: string; onSelect(nodeId: string): void }) {
  return (
    <div className={styles.modelTabs} role="tablist" aria-label="Model to show in detail" data-testid="model-picker">
      {models.map((model, index) => (
        <button
          key={model.nodeId}
          type="button"
          role="tab"
          aria-selected={model.nodeId === selected}
          className={styles.modelTab}
          onClick={() => onSelect(model.nodeId)}
          data-testid={`model-tab-${model.nodeId}`}
        >
          <span className="swatch" style={{ background: seriesColor(index) }} aria-hidden />
          {model.model}
        </button>
      ))}
    </div>
  );
}

/** The best model's result in one sentence that fits the task, with its detail beneath. */
function Headline({ preview, top }: { preview: EvaluationPreview; top: ModelEvaluation | undefined }) {
  const name = preview.metricNames[0];
  const value = top && name ? top.metrics[name] : undefined;
  if (!top || value === undefined) return null;
  const headline = { name, value, subject: preview.headlineSubject };
  const detail = formatHeadlineDetail(headline, top.metrics);
  return (
    <p className={styles.headline} data-testid="evaluation-headline">
      <strong>{formatHeadline(headline)}</strong>
      {preview.models.length > 1 && <span className="muted"> ({top.model})</span>}
      {detail && <span className={`muted small ${styles.headlineDetail}`}>{detail}</span>}
    </p>
  );
}

function Lead({ preview, top }: { preview: EvaluationPreview; top: ModelEvaluation | undefined }) {
  if (preview.testRows === 0) {
    return (
      <p className={resultsStyles.previewLead}>
        Trained on every row (no test rows): the figures are the means of {preview.folds}-fold cross-validation.
        {top && preview.models.length > 1 && (
          <>
            {' '}
            Best by {metricShortLabel(preview.metricNames[0])}: <strong data-testid="best-model">{top.model}</strong>.
          </>
        )}
      </p>
    );
  }
  const rows = `${preview.testRows.toLocaleString('en-US')} test ${preview.rowNoun ?? 'rows'}`;
  if (preview.models.length === 1) {
    return (
      <p className={resultsStyles.previewLead}>
        <strong>{preview.models[0].model}</strong> checked on {rows} it never saw while training.
      </p>
    );
  }
  const metric = preview.metricNames[0];
  return (
    <p className={resultsStyles.previewLead}>
      {preview.models.length} models checked on the same {rows}, none of which they saw while training.
      {top && metric && (
        <>
          {' '}
          Best by {metricShortLabel(metric)}: <strong data-testid="best-model">{top.model}</strong>.
        </>
      )}
    </p>
  );
}

export function EvaluationView({ preview }: { preview: EvaluationPreview }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const top = preview.models[preview.best[preview.metricNames[0]] ?? 0] ?? preview.models[0];
  const selected = preview.models.find((model) => model.nodeId === chosen) ?? top;
  const hasRoc = preview.task === 'classification' && preview.models.some((model) => model.roc && model.roc.fpr.length > 0);
  const hasCv = preview.models.some((model) => model.crossValidation);

  if (!selected) {
    return (
      <div className={`preview ${styles.previewEvaluation}`} data-testid="evaluation-preview" data-task={preview.task}>
        <p className="muted">No model was evaluated.</p>
      </div>
    );
  }
  return (
    <div className={`preview ${styles.previewEvaluation}`} data-testid="evaluation-preview" data-task={preview.task}>
      <Headline preview={preview} top={top} />
      <Lead preview={preview} top={top} />
      <div className={hasRoc ? 'evaluation-top with-chart' : 'evaluation-top'}>
        <div className={styles.evaluationTables}>
          <h5>{preview.models.length > 1 ? `Leaderboard (test ${preview.rowNoun ?? 'rows'})` : `Scores on the test ${preview.rowNoun ?? 'rows'}`}</h5>
          <Leaderboard preview={preview} selected={selected.nodeId} onSelect={setChosen} />
          {hasCv && <CrossValidationTable preview={preview} />}
        </div>
        {hasRoc && (
          <div>
            <h5>ROC curve{preview.models.length > 1 ? 's' : ''}</h5>
            <RocChart models={preview.models} selected={selected.nodeId} onSelect={setChosen} />
          </div>
        )}
      </div>
      <div className={styles.detailsHead}>
        <h5>Details{preview.models.length > 1 ? '' : ` of ${selected.model}`}</h5>
        {preview.models.length > 1 && <ModelTabs models={preview.models} selected={selected.nodeId} onSelect={setChosen} />}
      </div>
      <ModelDetails key={selected.nodeId} model={selected} preview={preview} />
    </div>
  );
}
