'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { AuthForm } from '../_components/auth/AuthForm';
import { authRequest } from '../_components/auth/auth-request';
import { useTRPC } from '../trpc';

/** First start: the owner account, then the templates. */
export default function SetupPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const setup = useQuery(trpc.setup.status.queryOptions());
  useEffect(() => {
    if (setup.data && !setup.data.needsOwner) router.replace('/sign-in');
  }, [setup.data, router]);
  return (
    <AuthForm
      testId="setup-page"
      title="Welcome to Pipelab"
      intro="Create the owner account. You can invite your team afterwards from the Members page; anything already saved here moves into your workspace."
      fields={[
        { name: 'name', label: 'Your name', type: 'text', autoComplete: 'name' },
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'username' },
        { name: 'password', label: 'Password (at least 10 characters)', type: 'password', autoComplete: 'new-password', minLength: 10 },
      ]}
      submitLabel="Create the owner account"
      onSubmit={async ({ name, email, password }) => {
        const error = await authRequest('sign-up/email', { name, email, password });
        if (!error) window.location.assign('/');
        return error;
      }}
    />
  );
}
