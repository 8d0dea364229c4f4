'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { CatalogNode, ParamJsonSchema } from '../../server/api-types';
import type { ColumnSummary } from '../../nodes/preview';
import { DatasetField } from './DatasetField';
import { ImageArchiveField } from './ImageArchiveField';
import { ModelField } from './ModelField';
import { checkNumber, describeField, parseList, rangeHint, type FieldInfo } from './param-fields';
import { useEditor } from './store';
import ui from '../_components/ui.module.css';
import styles from './ParamsForm.module.css';
import editorStyles from './editor.module.css';

interface ControlProps {
  id: string;
  nodeId: string;
  name: string;
  field: FieldInfo;
  value: unknown;
  columns: ColumnSummary[];
  onChange(value: unknown): void;
}

function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function NumberControl({ id, name, field, value, onChange }: ControlProps) {
  const [text, setText] = useState(value === null || value === undefined ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Follow changes made elsewhere (undo, redo) unless the text already says the same number.
    setText((current) => (current.trim() !== '' && Number(current) === value ? current : value == null ? '' : String(value)));
  }, [value]);
  const integer = field.kind === 'integer';
  const commit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setError(field.nullable ? null : 'Enter a number.');
      if (field.nullable) onChange(null);
      return;
    }
    const parsed = Number(next);
    const problem = checkNumber(parsed, field.schema, integer);
    setError(problem);
    if (Number.isFinite(parsed)) onChange(parsed);
  };
  return (
    <>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={field.schema.minimum}
        max={field.schema.maximum}
        step={integer ? 1 : 'any'}
        onChange={(event) => commit(event.target.value)}
        data-testid={`param-${name}`}
      />
      {error && <p className={editorStyles.fieldError}>{error}</p>}
    </>
  );
}

function EnumControl({ id, name, field, value, onChange }: ControlProps) {
  const options = field.schema.enum ?? [];
  const labels = field.schema.enumLabels ?? [];
  const current = options.findIndex((option) => option === value);
  return (
    <select
      id={id}
      value={current >= 0 ? String(options[current]) : ''}
      onChange={(event) => onChange(options.find((option) => String(option) === event.target.value) ?? null)}
      data-testid={`param-${name}`}
    >
      {current < 0 && <option value="">Choose…</option>}
      {options.map((option, index) => (
        <option key={String(option)} value={String(option)}>
          {labels[index] ?? String(option)}
        </option>
      ))}
    </select>
  );
}

function columnLabel(column: ColumnSummary): string {
  const missing = column.missing ? `, ${column.missing} missing` : '';
  return `${column.name} (${column.type === 'number' ? 'number' : 'category'}${missing})`;
}

function ColumnControl({ id, name, field, value, columns, onChange }: ControlProps) {
  const current = typeof value === 'string' ? value : '';
  if (columns.length === 0) {
    return (
      <input
        id={id}
        type="text"
        value={current}
        placeholder="Column name"
        onChange={(event) => onChange(event.target.value === '' && field.nullable ? null : event.target.value)}
        data-testid={`param-${name}`}
      />
    );
  }
  const unknown = current !== '' && !columns.some((column) => column.name === current);
  return (
    <select
      id={id}
      value={current}
      onChange={(event) => onChange(event.target.value === '' && field.nullable ? null : event.target.value)}
      data-testid={`param-${name}`}
    >
      <option value="">Not set</option>
      {unknown && <option value={current}>{current} (not in the latest data)</option>}
      {columns.map((column) => (
        <option key={column.name} value={column.name}>
          {columnLabel(column)}
        </option>
      ))}
    </select>
  );
}

function ListControl({ id, name, value, onChange }: ControlProps) {
  const list = Array.isArray(value) ? value.map(String) : [];
  const [text, setText] = useState(list.join(', '));
  useEffect(() => {
    setText((current) => (parseList(current).join('\u0000') === list.join('\u0000') ? current : list.join(', ')));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.join('\u0000')]);
  return (
    <input
      id={id}
      type="text"
      value={text}
      placeholder="Names separated by commas"
      onChange={(event) => {
        setText(event.target.value);
        onChange(parseList(event.target.value));
      }}
      data-testid={`param-${name}`}
    />
  );
}

function ColumnsControl(props: ControlProps) {
  const { name, value, columns, onChange } = props;
  if (columns.length === 0) return <ListControl {...props} />;
  const chosen = Array.isArray(value) ? value.map(String) : [];
  const extra = chosen.filter((item) => !columns.some((column) => column.name === item));
  const toggle = (column: string, on: boolean) =>
    onChange(on ? [...chosen, column] : chosen.filter((item) => item !== column));
  return (
    <div className={styles.checkboxList} data-testid={`param-${name}`} role="group">
      <div className={styles.checkboxActions}>
        <button type="button" className="link-button" onClick={() => onChange(columns.map((column) => column.name))}>
          Select all
        </button>
        <button type="button" className="link-button" onClick={() => onChange([])}>
          Clear
        </button>
      </div>
      {[...columns.map((column) => ({ key: column.name, label: columnLabel(column) })), ...extra.map((item) => ({ key: item, label: `${item} (not in the latest data)` }))].map(
        (option) => (
          <label key={option.key} className={ui.checkboxRow}>
            <input
              type="checkbox"
              checked={chosen.includes(option.key)}
              onChange={(event) => toggle(option.key, event.target.checked)}
              data-testid={`param-${name}-option-${option.key}`}
            />
            {option.label}
          </label>
        ),
      )}
    </div>
  );
}

function JsonControl({ id, name, value, onChange }: ControlProps) {
  const [text, setText] = useState(JSON.stringify(value ?? null));
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    try {
      onChange(JSON.parse(text));
      setError(null);
    } catch {
      setError('This value is not in the expected format.');
    }
  };
  return (
    <>
      <textarea id={id} value={text} onChange={(event) => setText(event.target.value)} onBlur={commit} data-testid={`param-${name}`} />
      {error && <p className={editorStyles.fieldError}>{error}</p>}
    </>
  );
}

function Control(props: ControlProps): ReactNode {
  const { id, nodeId, name, field, value, onChange } = props;
  switch (field.kind) {
    case 'dataset':
      return <DatasetField inputId={id} nodeId={nodeId} value={value} onChange={onChange} />;
    case 'model':
      return <ModelField inputId={id} nodeId={nodeId} value={value} onChange={onChange} />;
    case 'imageArchive':
      return <ImageArchiveField inputId={id} value={value} onChange={onChange} />;
    case 'column':
      return <ColumnControl {...props} />;
    case 'columns':
      return <ColumnsControl {...props} />;
    case 'enum':
      return <EnumControl {...props} />;
    case 'number':
    case 'integer':
      return <NumberControl {...props} />;
    case 'list':
      return <ListControl {...props} />;
    case 'text':
      return (
        <input
          id={id}
          type="text"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value === '' && field.nullable ? null : event.target.value)}
          data-testid={`param-${name}`}
        />
      );
    case 'boolean':
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
          data-testid={`param-${name}`}
        />
      );
    default:
      return <JsonControl {...props} />;
  }
}

function ParamField({ nodeId, name, schema, value, columns }: {
  nodeId: string;
  name: string;
  schema: ParamJsonSchema;
  value: unknown;
  columns: ColumnSummary[];
}) {
  const field = describeField(schema);
  const id = `param-${nodeId}-${name}`;
  const onChange = (next: unknown) => useEditor.getState().setParam(nodeId, name, next);
  const title = schema.title ?? humanize(name);
  const hint = field.kind === 'number' || field.kind === 'integer' ? rangeHint(field.schema) : null;
  const inline = field.kind === 'boolean';
  // Long controls (file upload, column checklists) read better with their explanation first.
  const helpFirst = field.kind === 'dataset' || field.kind === 'model' || field.kind === 'imageArchive' || field.kind === 'columns';
  const help = schema.description ? <p className={editorStyles.fieldHelp}>{schema.description}</p> : null;
  return (
    <div className={`${styles.field}${inline ? ` ${editorStyles.fieldInline}` : ''}`} data-testid={`field-${name}`}>
      <label htmlFor={id} className={editorStyles.fieldLabel}>
        {title}
      </label>
      {helpFirst && help}
      <Control id={id} nodeId={nodeId} name={name} field={field} value={value} columns={columns} onChange={onChange} />
      {!helpFirst && help}
      {hint && <p className={editorStyles.fieldHelp}>{hint}</p>}
      {(field.kind === 'column' || field.kind === 'columns') && columns.length === 0 && (
        <p className={`${editorStyles.fieldHelp} muted`}>Run the pipeline once (or upload a file) to pick from a list of columns.</p>
      )}
    </div>
  );
}

/** The settings form of a step, generated from the catalog's JSON schema for its parameters. */
export function ParamsForm({ nodeId, spec, params, columns }: {
  nodeId: string;
  spec: CatalogNode;
  params: Record<string, unknown>;
  columns: ColumnSummary[];
}) {
  const valueOf = (name: string) => (name in params ? params[name] : (spec.defaults[name] ?? spec.params.properties[name]?.default));
  // Some settings only matter for a choice made in another (the zip file only when photos come from a zip);
  // a list names every choice under which the setting matters.
  const entries = Object.entries(spec.params.properties).filter(([, schema]) =>
    Object.entries(schema.showWhen ?? {}).every(([other, expected]) =>
      Array.isArray(expected) ? expected.includes(valueOf(other)) : valueOf(other) === expected,
    ),
  );
  if (entries.length === 0) return <p className="muted small">This step has no settings.</p>;
  return (
    <form className={styles.paramsForm} data-testid="params-form" onSubmit={(event) => event.preventDefault()}>
      {entries.map(([name, schema]) => (
        <ParamField
          key={`${nodeId}:${name}`}
          nodeId={nodeId}
          name={name}
          schema={schema}
          value={valueOf(name)}
          columns={columns}
        />
      ))}
    </form>
  );
}
