'use client';

import type { ChangeEvent } from 'react';
import { errorMessage } from '../trpc';

/** Reads a file as base64 in chunks, so large files do not overflow the argument list of fromCharCode. */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let start = 0; start < bytes.length; start += chunk) {
    binary += String.fromCharCode(...bytes.subarray(start, start + chunk));
  }
  return btoa(binary);
}

interface FileUploadProps {
  id: string;
  accept: string;
  testId: string;
  errorTestId: string;
  pendingText: string;
  upload: { isPending: boolean; error: unknown; reset(): void; mutate(input: { name: string; base64: string }): void };
}

/** A file input that sends the chosen file to an upload mutation and shows its progress and error. */
export function FileUpload({ id, accept, testId, errorTestId, pendingText, upload }: FileUploadProps) {
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Clearing the input lets the same file be chosen again after fixing it.
    event.target.value = '';
    if (!file) return;
    upload.reset();
    upload.mutate({ name: file.name, base64: await fileToBase64(file) });
  };
  return (
    <>
      <input id={id} type="file" accept={accept} onChange={onFile} data-testid={testId} disabled={upload.isPending} />
      {upload.isPending && <p className="muted small">{pendingText}</p>}
      {upload.error != null && (
        <p className="field-error" data-testid={errorTestId} role="alert">
          {errorMessage(upload.error)}
        </p>
      )}
    </>
  );
}
