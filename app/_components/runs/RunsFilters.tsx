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

/** A drop-down of named choices with a first "any" choice (value ""). */
function ChoiceSelect({
  value,
  onChange,
  anyLabel,
  choices,
  label,
  testId,
}: {
  value: string;
  onChange(value: string): void;
  anyLabel: string;
  choices: { id: string; name: string }[];
  label: string;
  testId: string;
}) {
  return (
    <select value={value} onChange={(event) => onChange(event.target.value)} aria-label={label} data-testid={testId}>
      <option value="">{anyLabel}</option>
      {choices.map((choice) => (
        <option key={choice.id} value={choice.id}>
          {choice.name}
        </option>
      ))}
    </select>
  );
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
      <ChoiceSelect
        value={draft.metric}
        onChange={(metric) => onChange({ ...draft, metric })}
        anyLabel="Any score"
        choices={names.map((name) => ({ id: name, name: metricLabel(name) }))}
        label="Score to filter on"
        testId="runs-filter-metric"
      />
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
        <ChoiceSelect
          value={draft.pipelineId}
          onChange={(pipelineId) => onChange({ ...draft, pipelineId })}
          anyLabel="All pipelines"
          choices={pipelines}
          label="Pipeline"
          testId="runs-filter-pipeline"
        />
      </fieldset>
      <fieldset className={styles.filterGroup}>
        <legend>Started by</legend>
        <ChoiceSelect
          value={draft.startedBy}
          onChange={(startedBy) => onChange({ ...draft, startedBy })}
          anyLabel="Anyone"
          choices={
            draft.startedBy && !people.some((person) => person.id === draft.startedBy)
              ? [{ id: draft.startedBy, name: 'Someone else' }, ...people]
              : people
          }
          label="Started by"
          testId="runs-filter-person"
        />
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
