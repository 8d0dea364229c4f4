import type { RunStatus } from '../../server/api-types';
import { isRunActive } from '../../server/api-types';
import { RUN_STATUS_LABELS } from './format';

export function RunStatusPill({ status, testId }: { status: RunStatus; testId?: string }) {
  return (
    <span className={`pill pill-${status}`} data-status={status} data-testid={testId}>
      {isRunActive(status) && <span className="spinner" aria-hidden />}
      {RUN_STATUS_LABELS[status]}
    </span>
  );
}
