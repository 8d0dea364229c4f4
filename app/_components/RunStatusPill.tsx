import type { RunStatus } from '../../server/api-types';
import { isRunActive } from '../../server/api-types';
import { RUN_STATUS_LABELS } from './format';
import ui from './ui.module.css';

const STATUS_CLASS: Record<RunStatus, string | undefined> = {
  queued: ui.pillQueued,
  running: ui.pillRunning,
  succeeded: ui.pillSucceeded,
  failed: ui.pillFailed,
  cancelled: ui.pillCancelled,
  interrupted: ui.pillInterrupted,
};

export function RunStatusPill({ status, testId }: { status: RunStatus; testId?: string }) {
  return (
    <span className={`${ui.pill} ${STATUS_CLASS[status]}`} data-status={status} data-testid={testId}>
      {isRunActive(status) && <span className={ui.spinner} aria-hidden />}
      {RUN_STATUS_LABELS[status]}
    </span>
  );
}
