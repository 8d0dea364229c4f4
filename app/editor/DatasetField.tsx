'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DatasetInfo } from '../../server/api-types';
import { formatWhen } from '../_components/format';
import { useTRPC } from '../trpc';
import { targetForFile } from '../../nodes/lib/target-column';
import { useNodeSpec } from './catalog-context';
import { FileUpload } from './FileUpload';
import { useEditor } from './store';
import { uploadFile } from './upload-file';
import editorStyles from './editor.module.css';

const DELIMITER_NAMES: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'vertical bar',
  ' ': 'space',
};

/** What an uploaded CSV holds: rows, columns with their types and missing values, warnings. */
export function DatasetSummary({ info }: { info: DatasetInfo }) {
  return (
    <div className={editorStyles.datasetInfo} data-testid="dataset-info">
      <div className={editorStyles.datasetFacts}>
        <strong>{info.name}</strong>
        <span data-testid="dataset-rows">{info.rowCount.toLocaleString('en-US')} rows</span>
        <span>{info.columns.length} columns</span>
        <span>Separated by {DELIMITER_NAMES[info.delimiter] ?? `“${info.delimiter}”`}</span>
        <span>{info.hasHeader ? 'First row holds the column names' : 'No header row (columns were numbered)'}</span>
      </div>
      {info.warnings.length > 0 && (
        <ul className={editorStyles.warningList} data-testid="dataset-warnings">
          {info.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <table className="data-table compact" data-testid="dataset-columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Missing</th>
          </tr>
        </thead>
        <tbody>
          {info.columns.map((column) => (
            <tr key={column.name}>
              <td>{column.name}</td>
              <td>{column.type === 'number' ? 'Number' : 'Category'}</td>
              <td className={column.missing ? 'warn-text' : 'muted'}>{column.missing.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface DatasetFieldProps {
  inputId: string;
  nodeId: string;
  value: unknown;
  onChange(hash: string): void;
}

/**
 * Keeps the step's column to predict in step with its file: kept when the new file has it, otherwise
 * cleared, and an obvious answer column preselected; returns the lines that say what happened and why.
 */
function useTargetFollowingFile(nodeId: string) {
  const type = useEditor((state) => state.nodes.find((node) => node.id === nodeId)?.data.type ?? '');
  const hasTarget = useNodeSpec(type)?.params.properties.target !== undefined;
  const [notes, setNotes] = useState<{ lines: string[]; cleared: boolean }>({ lines: [], cleared: false });
  const follow = (info: DatasetInfo) => {
    if (!hasTarget) return;
    const current = useEditor.getState().nodes.find((node) => node.id === nodeId)?.data.params.target;
    const before = typeof current === 'string' ? current : '';
    const choice = targetForFile(before, info.name, info.columns, info.rowCount);
    if (choice.target !== before) useEditor.getState().setParam(nodeId, 'target', choice.target);
    setNotes({ lines: choice.notes, cleared: before !== '' && choice.target !== before });
  };
  return { notes, follow };
}

/** Upload a CSV file (or pick an earlier upload); the parameter stores the file's content hash. */
export function DatasetField({ inputId, nodeId, value, onChange }: DatasetFieldProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const target = useTargetFollowingFile(nodeId);
  const choose = (info: DatasetInfo) => {
    onChange(info.hash);
    target.follow(info);
  };
  const upload = useMutation({
    mutationFn: (file: File) => uploadFile('dataset', file),
    onSuccess(info) {
      queryClient.setQueryData(trpc.datasets.list.queryKey(), (old) => [info, ...(old ?? []).filter((dataset) => dataset.hash !== info.hash)]);
      void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() });
      choose(info);
    },
  });

  const hash = typeof value === 'string' ? value : '';
  const info =
    (upload.data?.hash === hash ? upload.data : undefined) ?? datasets.data?.find((dataset) => dataset.hash === hash);
  const others = datasets.data ?? [];
  const pick = (picked: string) => {
    const earlier = others.find((dataset) => dataset.hash === picked);
    if (earlier) choose(earlier);
  };

  return (
    <div className={editorStyles.datasetField}>
      <FileUpload
        id={inputId}
        accept=".csv,.tsv,.txt,.parquet,text/csv,text/plain"
        testId="dataset-file"
        errorTestId="upload-error"
        pendingText="Uploading and checking the file…"
        upload={upload}
      />
      {others.length > 0 && (
        <select
          className="dataset-pick"
          value={info ? hash : ''}
          onChange={(event) => pick(event.target.value)}
          data-testid="dataset-select"
          aria-label="Or use a file uploaded earlier"
        >
          <option value="">Or use a file uploaded earlier…</option>
          {others.map((dataset) => (
            <option key={dataset.hash} value={dataset.hash}>
              {dataset.name} · {dataset.rowCount.toLocaleString('en-US')} rows · {formatWhen(dataset.createdAt)}
            </option>
          ))}
        </select>
      )}
      {target.notes.lines.length > 0 && (
        // A cleared column to predict is a change the person did not ask for: shown as a warning.
        <p className={target.notes.cleared ? 'warn-text small' : editorStyles.fieldHelp} role="status" data-testid="target-note">
          {target.notes.lines.join(' ')}
        </p>
      )}
      {info && <DatasetSummary info={info} />}
      {hash && !info && !datasets.isPending && (
        <p className="warn-text small">The file chosen for this step is not on this computer any more. Upload it again.</p>
      )}
    </div>
  );
}
