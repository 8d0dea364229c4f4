'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useId, useState } from 'react';
import { authClient } from '../auth-client';
import { isPublicPath } from '../auth-redirect';
import { errorMessage, isUnauthorized, useTRPC } from '../trpc';
import { useAccount } from './accounts/useAccount';
import { EngineBadge } from './EngineBadge';

const LINKS = [
  { href: '/', label: 'Pipelines', testId: 'nav-pipelines', match: (path: string) => path === '/' || path.startsWith('/editor') },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', match: (path: string) => path.startsWith('/runs') || path.startsWith('/compare') },
  { href: '/endpoints', label: 'APIs', long: 'Prediction ', testId: 'nav-endpoints', match: (path: string) => path.startsWith('/endpoints') },
  { href: '/members', label: 'Members', testId: 'nav-members', match: (path: string) => path.startsWith('/members') },
  { href: '/activity', label: 'Activity', testId: 'nav-activity', match: (path: string) => path.startsWith('/activity') },
];

type Account = NonNullable<ReturnType<typeof useAccount>['data']>;

/** Pages that show one workspace's things; after switching, they would show nothing of the new one. */
function leavesAfterSwitch(pathname: string): boolean {
  return pathname.startsWith('/editor/') || pathname.startsWith('/compare') || pathname === '/editor';
}

function WorkspaceSwitcher({ account }: { account: Account }) {
  const trpc = useTRPC();
  const id = useId();
  const pathname = usePathname() ?? '/';
  const switchTo = useMutation(
    trpc.workspaces.switch.mutationOptions({
      // A full load, so every list, the editor and the role are read afresh for the other workspace.
      onSuccess: () => (leavesAfterSwitch(pathname) ? window.location.assign('/') : window.location.reload()),
    }),
  );
  const active = account.active;
  if (!active) return <span className="muted small workspace-none">No workspace</span>;
  return (
    <span className="workspace-switch">
      <label htmlFor={id} className="visually-hidden">
        Workspace
      </label>
      <select
        id={id}
        value={active.id}
        disabled={switchTo.isPending || account.workspaces.length < 2}
        onChange={(event) => switchTo.mutate({ id: event.target.value })}
        title={`Workspace: ${active.name} (you are ${active.role === 'owner' ? 'an owner' : `a ${active.role}`})`}
        data-testid="workspace-switcher"
        data-role={active.role}
      >
        {account.workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
      {switchTo.error && (
        <span className="header-error" role="alert">
          {errorMessage(switchTo.error)}
        </span>
      )}
    </span>
  );
}

function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="header-button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await authClient.signOut().catch(() => null);
        window.location.assign('/sign-in');
      }}
      data-testid="sign-out"
    >
      Sign out
    </button>
  );
}

export function Header() {
  const pathname = usePathname() ?? '/';
  const account = useAccount();
  const publicPage = isPublicPath(pathname);
  const signedOut = isUnauthorized(account.error);
  // Signed-out visitors of the sign-in, setup, invitation and shared-link pages see the name and nothing to click.
  const bare = signedOut || (publicPage && !account.data);
  return (
    <header className={`app-header${bare ? ' bare' : ''}`}>
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>
          ◆
        </span>
        Pipelab
      </Link>
      {!bare && (
        <nav className="main-nav" aria-label="Main">
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className={link.match(pathname) ? 'active' : undefined}
              aria-current={link.match(pathname) ? 'page' : undefined}
              data-testid={link.testId}
            >
              {'long' in link && <span className="nav-long">{link.long}</span>}
              {link.label}
            </Link>
          ))}
        </nav>
      )}
      <div className="header-right">
        <EngineBadge />
        {account.data && (
          <div className="account-menu" data-testid="signed-in-as">
            <span className="person-name" title={account.data.user.email} data-testid="person-name">
              {account.data.user.name || account.data.user.email}
            </span>
            <WorkspaceSwitcher account={account.data} />
            {account.data.active && (
              <span className="header-role" title="Your role in this workspace" data-testid="active-role">
                {account.data.active.role}
              </span>
            )}
            <SignOutButton />
          </div>
        )}
      </div>
    </header>
  );
}
