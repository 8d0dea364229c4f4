'use client';

import type { InputHTMLAttributes } from 'react';
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

/** A text, number or date input that edits one field of the filters. */
function DraftInput({
  draft,
  onChange,
  field,
  label,
  testId,
  ...input
}: Pick<RunsFiltersProps, 'draft' | 'onChange'> & {
  field: 'min' | 'max' | 'from' | 'to';
  label: string;
  testId: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  return (
    <input
      {...input}
      value={draft[field]}
      onChange={(event) => onChange({ ...draft, [field]: event.target.value })}
      aria-label={label}
      data-testid={testId}
    />
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
  const score = { type: 'number', step: 'any', disabled: !draft.metric } as const;
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
      <DraftInput draft={draft} onChange={onChange} field="min" {...score} placeholder="at least" label="Lowest score" testId="runs-filter-min" />
      <DraftInput draft={draft} onChange={onChange} field="max" {...score} placeholder="at most" label="Highest score" testId="runs-filter-max" />
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
        <DraftInput draft={draft} onChange={onChange} field="from" type="date" max={draft.to || undefined} label="Started on or after" testId="runs-filter-from" />
        <span className="muted small">to</span>
        <DraftInput draft={draft} onChange={onChange} field="to" type="date" min={draft.from || undefined} label="Started on or before" testId="runs-filter-to" />
      </fieldset>
      {active && (
        <button type="button" className={`link-button ${styles.clearFilters}`} onClick={() => onChange(EMPTY_FILTERS)} data-testid="runs-filter-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}
