'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { authClient, authErrorMessage } from '../../auth-client';
import { safeNext } from '../../auth-redirect';
import { useTRPC } from '../../trpc';
import { Field, FormError } from './Field';
import styles from './SignInPage.module.css';
import accountsStyles from './accounts.module.css';
import ui from '../ui.module.css';

/** Email and password, then back to the page that asked for it. Accounts come from invitations only. */
export function SignInPage({ next }: { next?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions(undefined, { staleTime: 0 }));
  const session = authClient.useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = safeNext(next);
  const needsOwner = status.data?.needsOwner === true;

  useEffect(() => {
    if (needsOwner) router.replace('/setup');
  }, [needsOwner, router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!email.trim() || !password) return setError('Enter your email address and password.');
    setBusy(true);
    const result = await authClient.signIn.email({ email: email.trim(), password });
    if (result.error) {
      setBusy(false);
      setError(authErrorMessage(result.error, 'sign-in'));
      return;
    }
    window.location.assign(target);
  };

  if (needsOwner) {
    return (
      <div className={accountsStyles.authPage} data-testid="sign-in-page" data-state="loading">
        <div className={accountsStyles.authCard}>
          <p className="muted">Opening setup…</p>
        </div>
      </div>
    );
  }
  const signedIn = session.data?.user;
  return (
    <div className={accountsStyles.authPage} data-testid="sign-in-page">
      <form className={accountsStyles.authCard} onSubmit={submit} noValidate>
        <h1>Sign in to Pipelab</h1>
        {signedIn && (
          <div className={`${ui.notice} ${styles.authNotice}`} role="status" data-testid="already-signed-in">
            You are signed in as <strong>{signedIn.name || signedIn.email}</strong>.{' '}
            <a href={target}>Continue</a>
          </div>
        )}
        <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required testId="sign-in-email" autoFocus />
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required testId="sign-in-password" />
        <FormError message={error} testId="sign-in-error" />
        <button type="submit" className={`button primary ${accountsStyles.authSubmit}`} disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className={`muted small ${styles.authFoot}`}>New here? Ask a workspace owner for an invitation link.</p>
      </form>
    </div>
  );
}
