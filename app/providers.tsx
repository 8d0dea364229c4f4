'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { redirectToSignIn } from './auth-redirect';
import { errorCode, makeTRPCClient, TRPCProvider } from './trpc';

/** Refusals that asking again will not change. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'TOO_MANY_REQUESTS']);

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 1 && !FINAL_CODES.has(errorCode(error) ?? ''),
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient() {
  // On the server every request gets its own client; in the browser one client lives for the page.
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  // Any call refused with "sign in" (401) sends the browser to the sign-in page and back here afterwards,
  // except on the pages that work signed out (sign-in, setup, invitations, shared links).
  const [trpcClient] = useState(() => makeTRPCClient(redirectToSignIn));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
