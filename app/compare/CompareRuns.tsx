import Link from 'next/link';
import { memo } from 'react';
import { formatDuration, formatWhen } from '../_components/format';
import { runHref } from '../_components/runs/runs-query';
import { RunStatusPill } from '../_components/RunStatusPill';
import { runColor, runTag } from './compare-model';
import type { ComparedRun } from './types';
import styles from './CompareRuns.module.css';

const RunCard = memo(function RunCard({ run, index }: { run: ComparedRun; index: number }) {
  return (
    <li className={styles.compareRun} style={{ borderTopColor: runColor(index) }} data-testid={`compare-run-${run.id}`}>
      <div className={styles.compareRunTitle}>
        <span className={styles.runTag} style={{ borderLeftColor: runColor(index) }}>
          {runTag(index)}
        </span>
        <Link href={runHref(run)} className={styles.compareRunName} title="Open this run">
          {run.pipelineName ?? run.label}
        </Link>
        {run.pipelineVersion !== null && <span className="version-tag">v{run.pipelineVersion}</span>}
      </div>
      <div className={styles.compareRunFacts}>
        <RunStatusPill status={run.status} />
        <span className="muted small">
          {formatWhen(run.startedAt)}
          {run.durationMs !== null && ` · ${formatDuration(run.durationMs)}`}
        </span>
      </div>
    </li>
  );
});

/** One card per compared run, in the order picked; #1 is the one the others are measured against. */
export function CompareRuns({ runs }: { runs: ComparedRun[] }) {
  return (
    <ol className={styles.compareRuns} data-testid="compare-runs">
      {runs.map((run, index) => (
        <RunCard key={run.id} run={run} index={index} />
      ))}
    </ol>
  );
}
