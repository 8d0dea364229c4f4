'use client';

import type { ChangeEvent } from 'react';
import { errorMessage } from '../trpc';
import editorStyles from './editor.module.css';

interface FileUploadProps {
  id: string;
  accept: string;
  testId: string;
  errorTestId: string;
  pendingText: string;
  upload: { isPending: boolean; error: unknown; reset(): void; mutate(file: File): void };
}

/** A file input that sends the chosen file to an upload mutation and shows its progress and error. */
export function FileUpload({ id, accept, testId, errorTestId, pendingText, upload }: FileUploadProps) {
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Clearing the input lets the same file be chosen again after fixing it.
    event.target.value = '';
    if (!file) return;
    upload.reset();
    upload.mutate(file);
  };
  return (
    <>
      <input id={id} type="file" accept={accept} onChange={onFile} data-testid={testId} disabled={upload.isPending} />
      {upload.isPending && <p className="muted small">{pendingText}</p>}
      {upload.error != null && (
        <p className={editorStyles.fieldError} data-testid={errorTestId} role="alert">
          {errorMessage(upload.error)}
        </p>
      )}
    </>
  );
}
