'use client';

import type { RunStatus } from '../../../server/api-types';
import { metricLabel, RUN_STATUS_LABELS } from '../format';
import { EMPTY_FILTERS, RUN_STATUSES, type RunFilterDraft } from './runs-query';
import styles from './RunsFilters.module.css';
import ui from '../ui.module.css';

interface RunsFiltersProps {
  draft: RunFilterDraft;
  onChange(draft: RunFilterDraft): void;
  pipelines: { id: string; name: string }[];
  metricNames: string[];
  /** People who started runs here, for the "Started by" filter. */
  people: { id: string; name: string }[];
}

function StatusFilter({ selected, onChange }: { selected: RunStatus[]; onChange(status: RunStatus[]): void }) {
  const toggle = (status: RunStatus) =>
    onChange(selected.includes(status) ? selected.filter((item) => item !== status) : [...selected, status]);
  return (
    <fieldset className={`${styles.filterGroup} ${ui.statusFilter}`}>
      <legend>Status</legend>
      {RUN_STATUSES.map((status) => (
        <label key={status} className={ui.checkboxRow}>
          <input
            type="checkbox"
            checked={selected.includes(status)}
            onChange={() => toggle(status)}
            data-testid={`runs-filter-status-${status}`}
          />
          {RUN_STATUS_LABELS[status]}
        </label>
      ))}
    </fieldset>
  );
}

function MetricFilter({ draft, onChange, metricNames }: Pick<RunsFiltersProps, 'draft' | 'onChange' | 'metricNames'>) {
  const names = draft.metric && !metricNames.includes(draft.metric) ? [draft.metric, ...metricNames] : metricNames;
  return (
    <fieldset className={`${styles.filterGroup} metric-filter`}>
      <legend>Score</legend>
      <select
        value={draft.metric}
        onChange={(event) => onChange({ ...draft, metric: event.target.value })}
        aria-label="Score to filter on"
        data-testid="runs-filter-metric"
      >
        <option value="">Any score</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {metricLabel(name)}
          </option>
        ))}
      </select>
      <input
        type="number"
        step="any"
        placeholder="at least"
        value={draft.min}
        disabled={!draft.metric}
        onChange={(event) => onChange({ ...draft, min: event.target.value })}
        aria-label="Lowest score"
        data-testid="runs-filter-min"
      />
      <input
        type="number"
        step="any"
        placeholder="at most"
        value={draft.max}
        disabled={!draft.metric}
        onChange={(event) => onChange({ ...draft, max: event.target.value })}
        aria-label="Highest score"
        data-testid="runs-filter-max"
      />
    </fieldset>
  );
}

/** Narrow the runs down by pipeline, person, status, score and day. */
export function RunsFilters({ draft, onChange, pipelines, metricNames, people }: RunsFiltersProps) {
  const active = JSON.stringify(draft) !== JSON.stringify(EMPTY_FILTERS);
  return (
    <div className={styles.runsFilters} data-testid="runs-filters">
      <fieldset className={styles.filterGroup}>
        <legend>Pipeline</legend>
        <select
          value={draft.pipelineId}
          onChange={(event) => onChange({ ...draft, pipelineId: event.target.value })}
          aria-label="Pipeline"
          data-testid="runs-filter-pipeline"
        >
          <option value="">All pipelines</option>
          {pipelines.map((pipeline) => (
            <option key={pipeline.id} value={pipeline.id}>
              {pipeline.name}
            </option>
          ))}
        </select>
      </fieldset>
      <fieldset className={styles.filterGroup}>
        <legend>Started by</legend>
        <select
          value={draft.startedBy}
          onChange={(event) => onChange({ ...draft, startedBy: event.target.value })}
          aria-label="Started by"
          data-testid="runs-filter-person"
        >
          <option value="">Anyone</option>
          {draft.startedBy && !people.some((person) => person.id === draft.startedBy) && <option value={draft.startedBy}>Someone else</option>}
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </fieldset>
      <StatusFilter selected={draft.status} onChange={(status) => onChange({ ...draft, status })} />
      <MetricFilter draft={draft} onChange={onChange} metricNames={metricNames} />
      <fieldset className={`${styles.filterGroup} date-filter`}>
        <legend>Started</legend>
        <input
          type="date"
          value={draft.from}
          max={draft.to || undefined}
          onChange={(event) => onChange({ ...draft, from: event.target.value })}
          aria-label="Started on or after"
          data-testid="runs-filter-from"
        />
        <span className="muted small">to</span>
        <input
          type="date"
          value={draft.to}
          min={draft.from || undefined}
          onChange={(event) => onChange({ ...draft, to: event.target.value })}
          aria-label="Started on or before"
          data-testid="runs-filter-to"
        />
      </fieldset>
      {active && (
        <button type="button" className={`link-button ${styles.clearFilters}`} onClick={() => onChange(EMPTY_FILTERS)} data-testid="runs-filter-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}
