'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunDetail } from '../../../server/api-types';
import type { AppRouter } from '../../../server/routers/app';
import type { ModelPreview } from '../../../nodes/preview';
import { errorMessage, useTRPC } from '../../trpc';
import { curlExample, exampleRow, photoCurlExample } from './example-row';
import ui from '../../_components/ui.module.css';
import editorStyles from '../editor.module.css';
import styles from './PublishModel.module.css';

type Published = inferRouterOutputs<AppRouter>['endpoints']['publish'];

function CopyButton({ text, testId, label = 'Copy' }: { text: string; testId: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <button type="button" className="button small-button" onClick={copy} data-testid={testId}>
      {copied === 'yes' ? 'Copied ✓' : copied === 'no' ? 'Select and copy it by hand' : label}
    </button>
  );
}

/** Shown once after publishing: the access key is not stored in readable form, so it can't be shown again. */
function TokenDialog({ published, example, onClose }: { published: Published; example: string; onClose(): void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const address = `${window.location.origin}${published.url}`;
  return (
    <div className={styles.modalBackdrop} role="presentation">
      <div className={styles.modal} role="dialog" aria-modal="true" aria-labelledby="endpoint-dialog-title" data-testid="endpoint-dialog">
        <h3 id="endpoint-dialog-title">“{published.name}” is live</h3>
        <p>
          {published.photoInput
            ? 'Other tools can now send photos to this web address and get each one’s label and probabilities back.'
            : 'Other tools can now send rows to this web address and get the model’s predictions back.'}
        </p>
        <div className={styles.secretRow}>
          <span className={editorStyles.fieldLabel}>Web address</span>
          <code className={ui.codeChip} data-testid="endpoint-url">{address}</code>
          <CopyButton text={address} testId="copy-endpoint-url" />
        </div>
        <div className={styles.secretRow}>
          <span className={editorStyles.fieldLabel}>Access key</span>
          <code className={`${ui.codeChip} ${styles.secret}`} data-testid="endpoint-token">
            {published.token}
          </code>
          <CopyButton text={published.token} testId="copy-token" />
        </div>
        <p className={`${ui.notice} ${ui.noticeWarning} small`}>
          Copy the access key now: it is shown only this once. Anyone with the key can use this model, so keep it private. If
          it is lost, unpublish the API and publish the model again.
        </p>
        <div className={styles.exampleHead}>
          <span className={editorStyles.fieldLabel}>Try it from a terminal</span>
          <CopyButton text={example} testId="copy-curl" label="Copy command" />
        </div>
        <pre className={styles.codeBlock} data-testid="endpoint-curl">
          {example}
        </pre>
        <div className={styles.modalActions}>
          <Link href="/endpoints" className="button ghost" data-testid="endpoint-dialog-list">
            All prediction APIs
          </Link>
          <button type="button" className="button primary" onClick={onClose} ref={closeRef} data-testid="endpoint-dialog-close">
            I’ve copied the key
          </button>
        </div>
      </div>
    </div>
  );
}

/** Turns a trained model of a recorded run into a web address other tools can call for predictions. */
export function PublishModel({ preview, runId, run }: { preview: ModelPreview & { nodeId: string }; runId: string; run: RunDetail | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState(`Predict ${preview.target} (${preview.model})`);
  const publish = useMutation(
    trpc.endpoints.publish.mutationOptions({
      onSuccess: () => {
        setNaming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.endpoints.list.queryKey() });
      },
    }),
  );
  const published = publish.data;
  const { reset } = publish;
  const close = useCallback(() => reset(), [reset]);
  const example = published?.photoInput
    ? photoCurlExample(`${window.location.origin}${published.url}`, published.token)
    : published
    ? curlExample(
        `${window.location.origin}${published.url}`,
        published.token,
        exampleRow(run, preview.nodeId, preview.features, preview.target),
      )
    : '';

  return (
    <div className={styles.publishModel}>
      {!naming ? (
        <button type="button" className="button" onClick={() => setNaming(true)} data-testid="publish-model">
          <span aria-hidden>⇪</span> Publish as prediction API
        </button>
      ) : (
        <form
          className={styles.publishForm}
          onSubmit={(event) => {
            event.preventDefault();
            publish.mutate({ runId, nodeId: preview.nodeId, name: name.trim() || preview.model });
          }}
        >
          <p className="small">
            Give other tools (a CRM, a spreadsheet script, your website) a web address where they send rows and get this
            model’s predictions back.
          </p>
          <label className={editorStyles.fieldLabel} htmlFor={`publish-name-${preview.nodeId}`}>
            Name
          </label>
          <div className={styles.publishRow}>
            <input
              id={`publish-name-${preview.nodeId}`}
              type="text"
              value={name}
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
              data-testid="publish-name"
              autoFocus
            />
            <button type="submit" className="button primary" disabled={publish.isPending} data-testid="publish-confirm">
              {publish.isPending ? 'Publishing…' : 'Publish'}
            </button>
            <button type="button" className="button ghost" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {publish.error && (
        <p className="error-text small" role="alert" data-testid="publish-error">
          {errorMessage(publish.error)}
        </p>
      )}
      {published && <TokenDialog published={published} example={example} onClose={close} />}
    </div>
  );
}
