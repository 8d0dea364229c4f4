'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImageArchiveInfo } from '../../server/api-types';
import { useTRPC } from '../trpc';
import { FileUpload } from './FileUpload';
import { uploadFile } from './upload-file';
import editorStyles from './editor.module.css';

interface ImageArchiveFieldProps {
  inputId: string;
  value: unknown;
  onChange(hash: string): void;
}

function ArchiveFacts({ info }: { info: ImageArchiveInfo }) {
  return (
    <div className={editorStyles.datasetInfo} data-testid="image-archive-info">
      <div className={editorStyles.datasetFacts}>
        <strong>{info.name}</strong>
        <span data-testid="image-archive-count">{info.count.toLocaleString('en-US')} photos</span>
        <span>{info.classes.length} labels</span>
      </div>
      <p className="small">{info.classes.map((c) => `${c.label} (${c.count.toLocaleString('en-US')})`).join(', ')}</p>
      {info.warnings.length > 0 && (
        <ul className={editorStyles.warningList} data-testid="image-archive-warnings">
          {info.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Upload a zip of photos, one folder per label; the parameter stores the zip's content hash. */
export function ImageArchiveField({ inputId, value, onChange }: ImageArchiveFieldProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hash = typeof value === 'string' && value ? value : null;
  const upload = useMutation({
    mutationFn: (file: File) => uploadFile('imageArchive', file),
    onSuccess(info) {
      queryClient.setQueryData(trpc.imageArchives.get.queryKey({ hash: info.hash }), info);
      onChange(info.hash);
    },
  });
  const stored = useQuery(trpc.imageArchives.get.queryOptions(hash ? { hash } : skipToken, { staleTime: Infinity, retry: false }));
  return (
    <div className={editorStyles.datasetField}>
      <FileUpload
        id={inputId}
        accept=".zip,application/zip"
        testId="image-archive-file"
        errorTestId="image-archive-error"
        pendingText="Uploading and checking the photos…"
        upload={upload}
      />
      {stored.data && <ArchiveFacts info={stored.data} />}
      {hash && stored.isError && (
        <p className={editorStyles.fieldError} role="alert">
          The zip file chosen for this step is no longer stored; upload it again.
        </p>
      )}
    </div>
  );
}
