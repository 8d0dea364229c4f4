'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { authClient, authErrorMessage } from '../../auth-client';
import { errorMessage, useTRPC } from '../../trpc';
import { AuthCard, AuthSubmit } from './AuthCard';
import { Field, FormError, NewPasswordFields, useNewPassword } from './Field';
import { useFormSubmit } from './useFormSubmit';

/** The very first visit: make the owner account, which gets the first workspace and everything made so far. */
export function SetupPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions(undefined, { staleTime: 0 }));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const newPassword = useNewPassword();
  const ownerExists = status.data?.needsOwner === false;

  useEffect(() => {
    if (ownerExists) router.replace('/sign-in');
  }, [ownerExists, router]);

  const { error, busy, submit } = useFormSubmit({
    check: () => {
      if (!name.trim()) return 'Enter your name.';
      if (!/^\S+@\S+\.\S+$/.test(email.trim())) return 'Enter a valid email address.';
      return newPassword.problem();
    },
    perform: async () => {
      const result = await authClient.signUp.email({ name: name.trim(), email: email.trim(), password: newPassword.password });
      if (result.error) return authErrorMessage(result.error, 'sign-up');
      // A full page load, so every list is read afresh as the new owner.
      window.location.assign('/');
      return null;
    },
  });

  if (status.error) {
    return (
      <AuthCard testId="setup-page">
        <h1>Set up Pipelab</h1>
        <FormError message={`The server could not be reached: ${errorMessage(status.error)}`} />
      </AuthCard>
    );
  }
  if (!status.data || ownerExists) {
    return (
      <AuthCard testId="setup-page" loading>
        <p className="muted">Opening…</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard testId="setup-page" onSubmit={submit}>
      <h1>Set up Pipelab</h1>
      <p className="muted">
        Make the first account. It owns the first workspace, which also gets every pipeline and run made so far. Invite
        colleagues from the Members page afterwards.
      </p>
      <Field label="Your name" value={name} onChange={setName} autoComplete="name" required maxLength={100} testId="setup-name" autoFocus />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" required testId="setup-email" />
      <NewPasswordFields value={newPassword} labels={['Password', 'Repeat the password']} testIds={['setup-password', 'setup-repeat']} />
      <FormError message={error} testId="setup-error" />
      <AuthSubmit busy={busy} busyLabel="Creating your account…" testId="setup-submit">
        Create owner account
      </AuthSubmit>
    </AuthCard>
  );
}
