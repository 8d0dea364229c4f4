import { memo, type ReactNode } from 'react';
import { formatTime } from '../_components/format';
import type { ComparedRun } from './types';
import { runColor, runTag } from './compare-model';
import ui from '../_components/ui.module.css';
import compareStyles from './compare.module.css';

/** "#3" with the run's colour; the full description shows on hover. */
export const RunHead = memo(function RunHead({ run, index }: { run: ComparedRun; index: number }) {
  const version = run.pipelineVersion !== null ? ` v${run.pipelineVersion}` : '';
  return (
    <th className={ui.runHead} scope="col" title={`${run.pipelineName ?? run.label}${version}, started ${formatTime(run.startedAt)}`}>
      <span className="swatch" style={{ background: runColor(index) }} aria-hidden />
      {runTag(index)}
    </th>
  );
});

/** A table with one column per compared run (headed by RunHead) after a first column of row names. */
export function ComparedRunsTable({ runs, corner, className, children }: { runs: ComparedRun[]; corner: string; className?: string; children: ReactNode }) {
  return (
    <div className={compareStyles.compareScroll} tabIndex={0} role="region" aria-label={`${corner} by run`}>
      <table className={`data-table compact ${ui.compareTable}${className ? ` ${className}` : ''}`}>
        <thead>
          <tr>
            <th className={ui.stickyCol}>{corner}</th>
            {runs.map((run, index) => (
              <RunHead key={run.id} run={run} index={index} />
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
