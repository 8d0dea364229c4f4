import { memo } from 'react';
import { formatTime } from '../_components/format';
import type { ComparedRun } from './types';
import { runColor, runTag } from './compare-model';
import ui from '../_components/ui.module.css';

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
