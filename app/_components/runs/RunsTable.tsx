'use client';

import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { memo, type ReactNode } from 'react';
import type { AppRouter } from '../../../server/routers/app';
import { formatDuration, formatHeadline, formatHeadlineDetail, formatNumber, formatTime, metricHelp, metricShortLabel } from '../format';
import { RunStatusPill } from '../RunStatusPill';
import { MAX_COMPARE, runHref, type RunSort } from './runs-query';
import styles from './RunsTable.module.css';
import ui from '../ui.module.css';

export type RunRow = inferRouterOutputs<AppRouter>['runs']['search']['rows'][number];

function SortHeader({ column, sort, onSort, children, title, numeric }: {
  column: string;
  sort: RunSort;
  onSort(column: string): void;
  children: ReactNode;
  title?: string;
  numeric?: boolean;
}) {
  const active = sort.by === column;
  const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={ariaSort} title={title}>
      <button type="button" className={`${ui.sortButton}${active ? ` ${ui.active}` : ''}`} onClick={() => onSort(column)} data-testid={`sort-${column}`}>
        {children}
        <span className={ui.sortMark} aria-hidden>
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

interface RowProps {
  run: RunRow;
  metricNames: string[];
  selected: boolean;
  selectionFull: boolean;
  onToggle(runId: string): void;
}

const RunTableRow = memo(function RunTableRow({ run, metricNames, selected, selectionFull, onToggle }: RowProps) {
  const router = useRouter();
  const href = runHref(run);
  return (
    <tr
      className={`${ui.clickable}${selected ? ` ${ui.selectedRow}` : ''}`}
      onClick={() => router.push(href)}
      data-testid={`runs-row-${run.id}`}
      title="Open this run"
    >
      <td className={ui.selectCell} data-label="Compare" onClick={(event) => event.stopPropagation()}>
        <input
          type="checkbox"
          checked={selected}
          disabled={!selected && selectionFull}
          onChange={() => onToggle(run.id)}
          aria-label="Pick this run to compare"
          title={!selected && selectionFull ? `Up to ${MAX_COMPARE} runs can be compared` : 'Pick this run to compare'}
          data-testid={`runs-select-${run.id}`}
        />
      </td>
      <td data-label="Pipeline">
        <Link href={href} onClick={(event) => event.stopPropagation()} className={styles.runPipeline}>
          {run.pipelineName ?? run.label}
        </Link>
        {run.pipelineVersion !== null && <span className="version-tag">v{run.pipelineVersion}</span>}
        {run.pipelineId === null && <span className="muted small"> (not saved)</span>}
      </td>
      <td data-label="Status">
        <RunStatusPill status={run.status} />
      </td>
      <td className="nowrap" data-label="Started">{formatTime(run.startedAt)}</td>
      <td className="nowrap num" data-label="Took">{formatDuration(run.durationMs)}</td>
      <td className={ui.startedBy} data-label="Started by" data-testid={`runs-started-by-${run.id}`}>
        {run.startedBy ? run.startedBy.name : <span className="muted small">{run.origin === 'cli' ? 'Command line' : '—'}</span>}
      </td>
      <td className="muted small" data-label="Engine">{run.backend ?? '—'}</td>
      <td className={`small ${styles.runHeadline}`} data-label="Result" data-testid={`runs-headline-${run.id}`} title={formatHeadlineDetail(run.headline, run.metrics) || undefined}>
        {formatHeadline(run.headline) || <span className="muted">—</span>}
      </td>
      {metricNames.map((name) => (
        <td key={name} className="num" data-metric={name} data-label={metricShortLabel(name)}>
          {formatNumber(run.metrics[name])}
        </td>
      ))}
    </tr>
  );
});

interface RunsTableProps {
  rows: RunRow[];
  metricNames: string[];
  sort: RunSort;
  onSort(column: string): void;
  selected: readonly string[];
  onToggle(runId: string): void;
  /** Shown in place of the rows when there are none. */
  emptyMessage: string;
}

/** One row per run; click a heading to sort by it, tick runs to compare them. */
export function RunsTable({ rows, metricNames, sort, onSort, selected, onToggle, emptyMessage }: RunsTableProps) {
  const selectionFull = selected.length >= MAX_COMPARE;
  return (
    <div className={styles.runsTableWrap}>
      <table className={`data-table stack-table ${ui.runsTable}`} data-testid="runs-table">
        <thead>
          <tr>
            <th className={ui.selectCell}>
              <span className="visually-hidden">Compare</span>
            </th>
            <SortHeader column="pipeline" sort={sort} onSort={onSort}>
              Pipeline
            </SortHeader>
            <SortHeader column="status" sort={sort} onSort={onSort}>
              Status
            </SortHeader>
            <SortHeader column="startedAt" sort={sort} onSort={onSort}>
              Started
            </SortHeader>
            <SortHeader column="durationMs" sort={sort} onSort={onSort} numeric>
              Took
            </SortHeader>
            <th title="Who pressed Run">Started by</th>
            <th title="Where the models were trained">Engine</th>
            <th title="The best model's result, in words">Result</th>
            {metricNames.map((name) => (
              <SortHeader key={name} column={name} sort={sort} onSort={onSort} numeric title={metricHelp(name)}>
                {metricShortLabel(name)}
              </SortHeader>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8 + metricNames.length} className={ui.runsEmpty} data-testid="runs-empty">
                {emptyMessage}
              </td>
            </tr>
          )}
          {rows.map((run) => (
            <RunTableRow
              key={run.id}
              run={run}
              metricNames={metricNames}
              selected={selected.includes(run.id)}
              selectionFull={selectionFull}
              onToggle={onToggle}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
