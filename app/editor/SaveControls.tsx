'use client';

import { usePipelineVersions } from './usePipelineVersions';
import { useEditor } from './store';
import type { useSave } from './useDocument';
import styles from './SaveControls.module.css';

/** "v4" for the saved version on the canvas, with a note when there are changes since. */
export function VersionBadge() {
  const versions = usePipelineVersions();
  const dirty = useEditor((state) => state.dirty);
  const latest = versions.data?.[0];
  if (!latest) return null;
  return (
    <span
      className={`version-tag ${styles.pipelineVersion}`}
      data-testid="pipeline-version"
      data-version={latest.version}
      title={dirty ? `Changes since version ${latest.version} are not saved yet` : `Saved as version ${latest.version}`}
    >
      v{latest.version}
      {dirty && '*'}
    </span>
  );
}

/** Save, with an optional note on what changed; Enter in the note saves too. */
export function SaveControls({ saver, disabled }: { saver: ReturnType<typeof useSave>; disabled: boolean }) {
  const message = useEditor((state) => state.saveMessage);
  const setMessage = useEditor((state) => state.setSaveMessage);
  return (
    <span className={styles.saveControls}>
      <input
        type="text"
        className={styles.saveMessage}
        value={message}
        placeholder="What changed? (optional)"
        maxLength={500}
        disabled={disabled}
        onChange={(event) => setMessage(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void saver.save();
          }
        }}
        aria-label="Note for this version"
        title="A short note saved with this version, e.g. “Removed the newspaper column”"
        data-testid="save-message"
      />
      <button
        type="button"
        className="button"
        onClick={saver.save}
        disabled={saver.saving || disabled}
        title="Save a new version (Ctrl+S)"
        data-testid="save-button"
      >
        Save
      </button>
    </span>
  );
}
