'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { makeTRPCClient, TRPCProvider } from './trpc';

/** Pages that work signed out. */
const OPEN_PAGES = ['/sign-in', '/setup', '/invite/', '/share/'];

/** A request refused for want of a session sends the browser to sign in, and back here afterwards. */
function signInWhenUnauthorized(error: unknown) {
  if (typeof window === 'undefined') return;
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  if (code !== 'UNAUTHORIZED') return;
  const { pathname, search } = window.location;
  if (OPEN_PAGES.some((page) => pathname.startsWith(page))) return;
  window.location.assign(`/sign-in?next=${encodeURIComponent(pathname + search)}`);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signInWhenUnauthorized }),
    mutationCache: new MutationCache({ onError: signInWhenUnauthorized }),
    defaultOptions: {
      queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 },
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
  const [trpcClient] = useState(makeTRPCClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
