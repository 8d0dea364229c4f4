'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { authClient, authErrorMessage } from '../../auth-client';
import { safeNext } from '../../auth-redirect';
import { useTRPC } from '../../trpc';
import { AuthCard, AuthSubmit } from './AuthCard';
import { Field, FormError } from './Field';
import styles from './SignInPage.module.css';
import { useFormSubmit } from './useFormSubmit';
import ui from '../ui.module.css';

/** Email and password, then back to the page that asked for it. Accounts come from invitations only. */
export function SignInPage({ next }: { next?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions(undefined, { staleTime: 0 }));
  const session = authClient.useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const target = safeNext(next);
  const needsOwner = status.data?.needsOwner === true;

  useEffect(() => {
    if (needsOwner) router.replace('/setup');
  }, [needsOwner, router]);

  const { error, busy, submit } = useFormSubmit({
    check: () => (!email.trim() || !password ? 'Enter your email address and password.' : null),
    perform: async () => {
      const result = await authClient.signIn.email({ email: email.trim(), password });
      if (result.error) return authErrorMessage(result.error, 'sign-in');
      window.location.assign(target);
      return null;
    },
  });

  if (needsOwner) {
    return (
      <AuthCard testId="sign-in-page" loading>
        <p className="muted">Opening setup…</p>
      </AuthCard>
    );
  }
  const signedIn = session.data?.user;
  return (
    <AuthCard testId="sign-in-page" onSubmit={submit}>
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
      <AuthSubmit busy={busy} busyLabel="Signing in…" testId="sign-in-submit">
        Sign in
      </AuthSubmit>
      <p className={`muted small ${styles.authFoot}`}>New here? Ask a workspace owner for an invitation link.</p>
    </AuthCard>
  );
}
