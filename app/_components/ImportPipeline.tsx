'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent } from 'react';
import { errorMessage, useTRPC } from '../trpc';
import styles from './ImportPipeline.module.css';
import ui from './ui.module.css';

interface Imported {
  id: string;
  name: string;
  warnings: string[];
}

function Dismiss({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className={`icon-button ${styles.importDismiss}`} aria-label="Dismiss" onClick={onClick}>
      ×
    </button>
  );
}

/** Reads a pipeline file exported from Pipelab and saves it as a new pipeline. */
export function ImportPipeline() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [readError, setReadError] = useState<string | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const importFile = useMutation(trpc.pipelines.import.mutationOptions());

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setReadError(null);
    setImported(null);
    let text: string;
    try {
      text = await file.text();
    } catch {
      setReadError(`${file.name} could not be read.`);
      return;
    }
    const result = await importFile.mutateAsync({ text }).catch(() => null);
    if (!result) return;
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
    if (result.warnings.length === 0) {
      router.push(`/editor/${result.pipeline.id}`);
      return;
    }
    setImported({ id: result.pipeline.id, name: result.pipeline.name, warnings: result.warnings });
  };

  const error = readError ?? (importFile.error ? errorMessage(importFile.error) : null);
  const dismiss = () => {
    setReadError(null);
    setImported(null);
    importFile.reset();
  };
  return (
    <div className={styles.importPipeline}>
      <label className={`button${importFile.isPending ? ` ${styles.disabled}` : ''}`} title="Open a pipeline file someone exported from Pipelab">
        {importFile.isPending ? 'Importing…' : 'Import pipeline'}
        <input
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          disabled={importFile.isPending}
          onChange={onFile}
          data-testid="import-pipeline"
        />
      </label>
      {error && (
        <div className={`${styles.importResult} ${ui.errorBox}`} role="alert" data-testid="import-error">
          <Dismiss onClick={dismiss} />
          <strong>This file could not be imported.</strong> {error}
        </div>
      )}
      {imported && (
        <div className={`${styles.importResult} ${ui.notice} ${ui.noticeWarning}`} role="status" data-testid="import-warnings">
          <Dismiss onClick={dismiss} />
          <strong>Imported “{imported.name}”, with notes:</strong>
          <ul>
            {imported.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
          <button type="button" className="button primary small-button" onClick={() => router.push(`/editor/${imported.id}`)} data-testid="open-imported">
            Open the pipeline
          </button>
        </div>
      )}
    </div>
  );
}
