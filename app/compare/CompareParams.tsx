'use client';

import { memo, useMemo, useState } from 'react';
import { differsFromFirst, formatParamValue, visibleParams } from './compare-model';
import { ComparedRunsTable } from './RunHead';
import type { Comparison } from './types';
import ui from '../_components/ui.module.css';

type Row = Comparison['parameters'][number];

const ParamRowView = memo(function ParamRowView({ row, runIds }: { row: Row; runIds: string[] }) {
  return (
    <tr data-testid={`compare-param-row-${row.nodeId}-${row.param}`} className={row.differs ? 'differs-row' : undefined}>
      <th scope="row" className={ui.stickyCol}>
        <span className={ui.paramStep}>{row.nodeTitle}</span>
        <span className="muted"> · </span>
        {row.paramTitle}
      </th>
      {row.values.map((value, index) => {
        const changed = differsFromFirst(row.values, index);
        return (
          <td key={runIds[index]} className={`${changed ? ui.changedCell : ''}${value === null ? ` ${ui.absentCell}` : ''}`} title={value === null ? 'This run has no such step or setting' : undefined}>
            {formatParamValue(value)}
          </td>
        );
      })}
    </tr>
  );
});

/** Settings of every step, one column per run; by default only the settings that differ. */
export const CompareParams = memo(function CompareParams({ comparison }: { comparison: Comparison }) {
  const [showAll, setShowAll] = useState(false);
  const { parameters, runs } = comparison;
  const rows = useMemo(() => visibleParams(parameters, showAll), [parameters, showAll]);
  const runIds = useMemo(() => runs.map((run) => run.id), [runs]);
  const differing = useMemo(() => parameters.filter((row) => row.differs).length, [parameters]);
  return (
    <section className="compare-section" data-testid="compare-params">
      <div className="section-head">
        <h2>Settings that differ</h2>
        <label className={ui.checkboxRow}>
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} data-testid="compare-show-all" />
          Show all settings
        </label>
      </div>
      <p className="muted small">
        {differing === 0
          ? `All ${runs.length} runs used the same settings.`
          : `${differing} ${differing === 1 ? 'setting differs' : 'settings differ'}. Cells that differ from run #1 are highlighted; “—” means the run has no such step.`}
      </p>
      {rows.length > 0 && (
        <ComparedRunsTable runs={runs} corner="Step · setting" className={ui.paramsTable}>
          {rows.map((row) => (
            <ParamRowView key={`${row.nodeId}:${row.param}`} row={row} runIds={runIds} />
          ))}
        </ComparedRunsTable>
      )}
    </section>
  );
});
