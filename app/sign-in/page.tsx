'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import { AuthForm } from '../_components/auth/AuthForm';
import { authRequest, safeNext } from '../_components/auth/auth-request';
import { useTRPC } from '../trpc';

function SignIn() {
  const trpc = useTRPC();
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const setup = useQuery(trpc.setup.status.queryOptions());
  useEffect(() => {
    if (setup.data?.needsOwner) router.replace('/setup');
  }, [setup.data, router]);
  return (
    <AuthForm
      testId="sign-in-page"
      title="Sign in to Pipelab"
      intro="Use the email and password of your Pipelab account."
      fields={[
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'username' },
        { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' },
      ]}
      submitLabel="Sign in"
      onSubmit={async ({ email, password }) => {
        const error = await authRequest('sign-in/email', { email, password });
        if (!error) window.location.assign(next);
        return error;
      }}
      footer="New here? Ask a workspace owner for an invitation link."
    />
  );
}

export default function SignInPage() {
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  );
}
