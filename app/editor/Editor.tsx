'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { useCanEdit, ViewerNote } from '../_components/accounts/useAccount';
import { errorMessage, useTRPC } from '../trpc';
import { Canvas } from './Canvas';
import { CatalogProvider, indexCatalog } from './catalog-context';
import { Sheet, SheetBackdrop, SheetButtons, useSheets, type SheetId } from './EditorSheets';
import { Palette } from './Palette';
import { ResultsPanel } from './ResultsPanel';
import { SidePanel } from './SidePanel';
import { useEditor } from './store';
import { TopBar } from './TopBar';
import { useOpenDocument, useSave, type EditorTarget } from './useDocument';
import { useLiveValidation, useRunner, useRunWatcher } from './useRun';
import ui from '../_components/ui.module.css';
import sheetStyles from './EditorSheets.module.css';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'file', 'range'].includes(target.type);
}

/** Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, Ctrl/Cmd+S save. Text fields keep their own undo. */
function useShortcuts(save: () => void, canEdit: boolean) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        if (canEdit) save();
        return;
      }
      if (!canEdit) return;
      if (isTyping(event.target)) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        useEditor.getState().undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        useEditor.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, canEdit]);
}

function useUnsavedWarning() {
  const dirty = useEditor((state) => state.dirty);
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);
}

function Workspace() {
  const readOnly = useEditor((state) => state.readOnly);
  // A viewer sees the pipeline as it is: no palette, no settings to change, no Run or Save.
  const canEdit = useCanEdit();
  const locked = readOnly || !canEdit;
  const runner = useRunner();
  const saver = useSave();
  const watchError = useRunWatcher();
  useLiveValidation();
  useShortcuts(saver.save, canEdit);
  useUnsavedWarning();
  const sheets = useSheets(runner.busy);
  // While a sheet is open on a narrow screen, everything behind it is out of reach of keyboard and screen reader.
  const behind = sheets.open !== null;
  const name = useEditor((state) => state.name);
  const sheetIds: SheetId[] = locked ? ['settings', 'results'] : ['steps', 'settings', 'results'];
  return (
    <div className={ui.editor} data-testid="editor">
      <div style={{ display: 'contents' }} inert={behind}>
        {/* The name is an input in the top bar; the page's heading names it for screen readers. */}
        <h1 className="visually-hidden">{name.trim() || 'Untitled pipeline'}</h1>
        <TopBar runner={runner} saver={saver} />
        {watchError && (
          <div className={`${ui.banner} error-text`} role="alert">
            The run's progress could not be loaded: {watchError}
          </div>
        )}
        {!readOnly && <ViewerNote />}
        {readOnly && (
          <div className={ui.banner} role="status" data-testid="read-only-banner">
            Read-only: this is exactly what ran. Open the pipeline itself to change it.
          </div>
        )}
      </div>
      <div className={locked ? `${ui.editorBody} ${ui.readOnly}` : ui.editorBody}>
        {!locked && (
          <Sheet id="steps" sheets={sheets}>
            <Palette />
          </Sheet>
        )}
        <div className={ui.editorCenter}>
          <div className={sheetStyles.touchCanvas} inert={behind}>
            <Canvas />
          </div>
          <Sheet id="results" sheets={sheets}>
            <ResultsPanel />
          </Sheet>
        </div>
        <Sheet id="settings" sheets={sheets}>
          {/* A disabled fieldset switches off every settings field at once. */}
          <fieldset disabled={locked} style={{ display: 'contents' }}>
            <SidePanel />
          </fieldset>
        </Sheet>
        <div inert={behind} style={{ display: 'contents' }}>
          <SheetButtons sheets={sheets} ids={sheetIds} />
        </div>
        <SheetBackdrop sheets={sheets} />
      </div>
    </div>
  );
}

function Notice({ title, message }: { title: string; message?: string }) {
  return (
    <div className={ui.editorNotice} data-testid="editor-notice">
      <h1>{title}</h1>
      {message && <p className="error-text">{message}</p>}
      {message && (
        <Link href="/" className="button">
          Back to pipelines
        </Link>
      )}
    </div>
  );
}

/** The pipeline editor: palette, canvas, settings and results, for a new, template or saved pipeline. */
export function Editor(target: EditorTarget) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.catalog.list.queryOptions(undefined, { staleTime: Infinity }));
  const document = useOpenDocument(target);
  const index = useMemo(() => (catalog.data ? indexCatalog(catalog.data) : null), [catalog.data]);

  if (catalog.error) return <Notice title="The list of steps could not be loaded." message={errorMessage(catalog.error)} />;
  if (document.error) return <Notice title="This pipeline could not be opened." message={document.error} />;
  if (!index || !document.ready) return <Notice title="Opening…" />;
  return (
    <CatalogProvider value={index}>
      <ReactFlowProvider>
        <Workspace />
      </ReactFlowProvider>
    </CatalogProvider>
  );
}
