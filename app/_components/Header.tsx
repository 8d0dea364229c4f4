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
import styles from './Header.module.css';
import ui from './ui.module.css';

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
  if (!active) return <span className={`muted small ${styles.workspaceNone}`}>No workspace</span>;
  return (
    <span className={styles.workspaceSwitch}>
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
        <span className={styles.headerError} role="alert">
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
      className={styles.headerButton}
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
    <header className={`${ui.appHeader}${bare ? ` ${ui.bare}` : ''}`}>
      <Link href="/" className={styles.brand}>
        <span className={styles.brandMark} aria-hidden>
          ◆
        </span>
        Pipelab
      </Link>
      {!bare && (
        <nav className={ui.mainNav} aria-label="Main">
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className={link.match(pathname) ? ui.active : undefined}
              aria-current={link.match(pathname) ? 'page' : undefined}
              data-testid={link.testId}
            >
              {'long' in link && <span className={styles.navLong}>{link.long}</span>}
              {link.label}
            </Link>
          ))}
        </nav>
      )}
      <div className={ui.headerRight}>
        <EngineBadge />
        {account.data && (
          <div className={styles.accountMenu} data-testid="signed-in-as">
            <span className={styles.personName} title={account.data.user.email} data-testid="person-name">
              {account.data.user.name || account.data.user.email}
            </span>
            <WorkspaceSwitcher account={account.data} />
            {account.data.active && (
              <span className={styles.headerRole} title="Your role in this workspace" data-testid="active-role">
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
