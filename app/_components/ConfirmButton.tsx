'use client';

import { useState, type ReactNode } from 'react';

/**
 * A button for something that cannot be undone: the first press asks, with a line saying what will
 * happen, and only the second does it; "Keep" steps back.
 */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  pending,
  testIds,
  askClassName = 'button ghost small-button',
  wrapperClassName,
}: {
  label: string;
  question: ReactNode;
  onConfirm: () => void;
  pending: boolean;
  testIds: { ask: string; confirm: string };
  askClassName?: string;
  /** Wraps the question and its buttons (e.g. to keep them on one line); without it they sit in the parent. */
  wrapperClassName?: string;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className={askClassName} onClick={() => setConfirming(true)} data-testid={testIds.ask}>
        {label}
      </button>
    );
  }
  const asking = (
    <>
      <span className="small">{question}</span>
      <button type="button" className="button danger small-button" disabled={pending} onClick={onConfirm} data-testid={testIds.confirm}>
        {label}
      </button>
      <button type="button" className="button small-button" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </>
  );
  return wrapperClassName ? <span className={wrapperClassName}>{asking}</span> : asking;
}
