'use client';

import { useMutation } from '@tanstack/react-query';
import type { ModelFileInfo } from '../../server/api-types';
import { FileUpload } from './FileUpload';
import { uploadFile } from './upload-file';
import { useEditor } from './store';
import editorStyles from './editor.module.css';

/** Files uploaded while the page is open, so the details stay visible when the step is selected again. */
const uploaded = new Map<string, ModelFileInfo>();

interface ModelFieldProps {
  inputId: string;
  nodeId: string;
  value: unknown;
  onChange(hash: string): void;
}

function ModelFacts({ info }: { info: Omit<ModelFileInfo, 'hash'> }) {
  return (
    <div className={editorStyles.datasetInfo} data-testid="model-file-info">
      <div className={editorStyles.datasetFacts}>
        <strong>{info.title}</strong>
        {info.fileName && <span className="muted">{info.fileName}</span>}
        <span>
          Predicts <strong>{info.target}</strong> ({info.task === 'regression' ? 'a number' : 'a category'})
        </span>
        <span data-testid="model-feature-count">
          From {info.features.length} input{info.features.length === 1 ? '' : 's'}
        </span>
      </div>
    </div>
  );
}

/** Upload a model file downloaded from a trained model; the parameter stores the file's content hash. */
export function ModelField({ inputId, nodeId, value, onChange }: ModelFieldProps) {
  const upload = useMutation({
    mutationFn: (file: File) => uploadFile('model', file),
    onSuccess(info) {
      uploaded.set(info.hash, info);
      onChange(info.hash);
    },
  });
  // After a run, the step's own result describes the loaded model.
  const ran = useEditor((state) => {
    const preview = state.run?.nodes[nodeId]?.preview;
    const params = state.run?.graph.nodes.find((node) => node.id === nodeId)?.params;
    return preview?.kind === 'model' && params?.model === value ? preview : null;
  });


  const hash = typeof value === 'string' ? value : '';
  const info = uploaded.get(hash);
  return (
    <div className={`${editorStyles.datasetField} model-field`}>
      <FileUpload
        id={inputId}
        accept=".json,application/json"
        testId="model-file"
        errorTestId="model-upload-error"
        pendingText="Uploading and checking the model…"
        upload={upload}
      />
      {info ? (
        <ModelFacts info={info} />
      ) : ran ? (
        <ModelFacts info={{ fileName: '', title: ran.model, task: ran.task, target: ran.target, features: ran.features }} />
      ) : (
        hash && (
          <p className="muted small" data-testid="model-file-chosen">
            A model file is chosen. Run the pipeline to see what it predicts, or upload another file to replace it.
          </p>
        )
      )}
    </div>
  );
}
