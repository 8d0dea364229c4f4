'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { EngineBadge } from './EngineBadge';

const SIGNED_OUT_PAGES = ['/sign-in', '/setup', '/invite/', '/share/'];

/** The person, their workspace and role, and signing out. */
function SignedInAs() {
  const trpc = useTRPC();
  const pathname = usePathname() ?? '/';
  const signedOutPage = SIGNED_OUT_PAGES.some((page) => pathname.startsWith(page));
  const me = useQuery(trpc.account.me.queryOptions(undefined, { enabled: !signedOutPage, retry: false }));
  if (!me.data) return null;
  return (
    <span className="header-user" data-testid="signed-in-as">
      <span title={me.data.user.email}>
        {me.data.user.name}
        {me.data.active ? ` · ${me.data.active.name} (${me.data.active.role})` : ''}
      </span>
      <button
        type="button"
        className="button small"
        data-testid="sign-out"
        onClick={async () => {
          await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          window.location.assign('/sign-in');
        }}
      >
        Sign out
      </button>
    </span>
  );
}

const LINKS = [
  { href: '/', label: 'Pipelines', testId: 'nav-pipelines', match: (path: string) => path === '/' || path.startsWith('/editor') },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', match: (path: string) => path.startsWith('/runs') },
  { href: '/endpoints', label: 'Prediction APIs', testId: 'nav-endpoints', match: (path: string) => path.startsWith('/endpoints') },
];

export function Header() {
  const pathname = usePathname() ?? '/';
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>
          ◆
        </span>
        Pipelab
      </Link>
      <nav className="main-nav" aria-label="Main">
        {LINKS.map((link) => (
          <Link
            key={link.href}
            href={link.href}
            className={link.match(pathname) ? 'active' : undefined}
            data-testid={link.testId}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      <div className="header-right">
        <EngineBadge />
        <SignedInAs />
      </div>
    </header>
  );
}
