'use client';

import type { FormEvent, ReactNode } from 'react';
import accountsStyles from './accounts.module.css';

/** The centred card of the set-up, sign-in and invitation pages; a form when it has `onSubmit`. */
export function AuthCard({
  testId,
  loading,
  onSubmit,
  children,
}: {
  testId: string;
  loading?: boolean;
  onSubmit?: (event: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <div className={accountsStyles.authPage} data-testid={testId} data-state={loading ? 'loading' : undefined}>
      {onSubmit ? (
        <form className={accountsStyles.authCard} onSubmit={onSubmit} noValidate>
          {children}
        </form>
      ) : (
        <div className={accountsStyles.authCard}>{children}</div>
      )}
    </div>
  );
}

/** The wide primary button that sends an account form; says what it is doing while busy. */
export function AuthSubmit({ busy, busyLabel, testId, children }: { busy: boolean; busyLabel: string; testId: string; children: ReactNode }) {
  return (
    <button type="submit" className={`button primary ${accountsStyles.authSubmit}`} disabled={busy} data-testid={testId}>
      {busy ? busyLabel : children}
    </button>
  );
}
