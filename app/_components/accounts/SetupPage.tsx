'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { authClient, authErrorMessage, passwordProblem } from '../../auth-client';
import { errorMessage, useTRPC } from '../../trpc';
import { Field, FormError, NewPasswordFields } from './Field';
import accountsStyles from './accounts.module.css';

/** The very first visit: make the owner account, which gets the first workspace and everything made so far. */
export function SetupPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions(undefined, { staleTime: 0 }));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ownerExists = status.data?.needsOwner === false;

  useEffect(() => {
    if (ownerExists) router.replace('/sign-in');
  }, [ownerExists, router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!name.trim()) return setError('Enter your name.');
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) return setError('Enter a valid email address.');
    const problem = passwordProblem(password, repeat);
    if (problem) return setError(problem);
    setBusy(true);
    const result = await authClient.signUp.email({ name: name.trim(), email: email.trim(), password });
    if (result.error) {
      setBusy(false);
      setError(authErrorMessage(result.error, 'sign-up'));
      return;
    }
    // A full page load, so every list is read afresh as the new owner.
    window.location.assign('/');
  };

  if (status.error) {
    return (
      <div className={accountsStyles.authPage} data-testid="setup-page">
        <div className={accountsStyles.authCard}>
          <h1>Set up Pipelab</h1>
          <FormError message={`The server could not be reached: ${errorMessage(status.error)}`} />
        </div>
      </div>
    );
  }
  if (!status.data || ownerExists) {
    return (
      <div className={accountsStyles.authPage} data-testid="setup-page" data-state="loading">
        <div className={accountsStyles.authCard}>
          <p className="muted">Opening…</p>
        </div>
      </div>
    );
  }
  return (
    <div className={accountsStyles.authPage} data-testid="setup-page">
      <form className={accountsStyles.authCard} onSubmit={submit} noValidate>
        <h1>Set up Pipelab</h1>
        <p className="muted">
          Make the first account. It owns the first workspace, which also gets every pipeline and run made so far. Invite
          colleagues from the Members page afterwards.
        </p>
        <Field label="Your name" value={name} onChange={setName} autoComplete="name" required maxLength={100} testId="setup-name" autoFocus />
        <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" required testId="setup-email" />
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          labels={['Password', 'Repeat the password']}
          testIds={['setup-password', 'setup-repeat']}
        />
        <FormError message={error} testId="setup-error" />
        <button type="submit" className={`button primary ${accountsStyles.authSubmit}`} disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating your account…' : 'Create owner account'}
        </button>
      </form>
    </div>
  );
}
