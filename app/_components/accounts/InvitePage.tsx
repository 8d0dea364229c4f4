'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ROLE_DESCRIPTIONS, isRole } from '../../../server/auth/roles';
import { authClient, authErrorMessage } from '../../auth-client';
import { errorMessage, useTRPC, useTRPCClient } from '../../trpc';
import { formatWhen } from '../format';
import { AuthCard, AuthSubmit } from './AuthCard';
import { Field, FormError, NewPasswordFields, useNewPassword } from './Field';
import styles from './InvitePage.module.css';
import { useFormSubmit } from './useFormSubmit';
import accountsStyles from './accounts.module.css';

type Preview = {
  id: string;
  email: string;
  role: string | null;
  status: string;
  expiresAt: number;
  workspaceName: string;
  inviterName: string;
  accountExists: boolean;
  usable: boolean;
};

function roleDescription(role: string | null): string {
  return isRole(role) ? ROLE_DESCRIPTIONS[role] : '';
}

/** Joins the workspace, then opens it. */
function useAccept(invitationId: string) {
  const client = useTRPCClient();
  return async (): Promise<string | null> => {
    try {
      await client.invitations.accept.mutate({ id: invitationId });
      window.location.assign('/');
      return null;
    } catch (cause) {
      return errorMessage(cause);
    }
  };
}

/**
 * Signs in or up, then joins. Resolves to the problem to show, or null while the page moves on to the
 * workspace.
 */
function useJoinAfter(invitationId: string) {
  const accept = useAccept(invitationId);
  return async (authenticate: () => Promise<{ error: Parameters<typeof authErrorMessage>[0] }>, action: 'sign-in' | 'sign-up') => {
    const result = await authenticate();
    return result.error ? authErrorMessage(result.error, action) : accept();
  };
}

function AcceptSignedIn({ invitation, person }: { invitation: Preview; person: { name: string; email: string } }) {
  const accept = useAccept(invitation.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const otherAddress = person.email.toLowerCase() !== invitation.email.toLowerCase();
  const signOut = async () => {
    await authClient.signOut();
    window.location.reload();
  };
  return (
    <div className={styles.inviteActions}>
      <p>
        You are signed in as <strong>{person.name || person.email}</strong> ({person.email}).
      </p>
      {otherAddress ? (
        <>
          <p className="warn-text" role="note">
            This invitation is for <strong>{invitation.email}</strong>. Sign out, then open this link again to sign in or
            create the account with that address.
          </p>
          <button type="button" className="button" onClick={signOut} data-testid="invite-sign-out">
            Sign out
          </button>
        </>
      ) : (
        <button
          type="button"
          className={`button primary ${accountsStyles.authSubmit}`}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(await accept());
            setBusy(false);
          }}
          data-testid="invite-accept"
        >
          {busy ? 'Joining…' : `Accept and open ${invitation.workspaceName}`}
        </button>
      )}
      <FormError message={error} testId="invite-error" />
    </div>
  );
}

function SignInAndAccept({ invitation }: { invitation: Preview }) {
  const joinAfter = useJoinAfter(invitation.id);
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useFormSubmit({
    check: () => (password ? null : 'Enter your password.'),
    perform: () => joinAfter(() => authClient.signIn.email({ email: invitation.email, password }), 'sign-in'),
  });
  return (
    <form className={styles.inviteForm} onSubmit={submit} noValidate>
      <p className="muted">You already have an account. Sign in to join.</p>
      <Field label="Email" type="email" value={invitation.email} onChange={() => {}} readOnly autoComplete="username" testId="invite-email" />
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required testId="invite-password" autoFocus />
      <FormError message={error} testId="invite-error" />
      <AuthSubmit busy={busy} busyLabel="Joining…" testId="invite-submit">
        Sign in and join
      </AuthSubmit>
    </form>
  );
}

function CreateAccountAndAccept({ invitation }: { invitation: Preview }) {
  const joinAfter = useJoinAfter(invitation.id);
  const [name, setName] = useState('');
  const newPassword = useNewPassword();
  const { error, busy, submit } = useFormSubmit({
    check: () => (name.trim() ? newPassword.problem() : 'Enter your name, as colleagues will see it.'),
    perform: () =>
      joinAfter(() => authClient.signUp.email({ name: name.trim(), email: invitation.email, password: newPassword.password }), 'sign-up'),
  });
  return (
    <form className={styles.inviteForm} onSubmit={submit} noValidate>
      <p className="muted">Create your account to join. Your colleagues see your name next to what you do.</p>
      <Field label="Your name" value={name} onChange={setName} autoComplete="name" required maxLength={100} testId="invite-name" autoFocus />
      <Field
        label="Email"
        type="email"
        value={invitation.email}
        onChange={() => {}}
        readOnly
        autoComplete="username"
        hint="The invitation is for this address."
        testId="invite-email"
      />
      <NewPasswordFields value={newPassword} labels={['Password', 'Repeat the password']} testIds={['invite-password', 'invite-repeat']} />
      <FormError message={error} testId="invite-error" />
      <AuthSubmit busy={busy} busyLabel="Creating your account…" testId="invite-submit">
        Create account and join
      </AuthSubmit>
    </form>
  );
}

/** What an invitation link opens: who invited whom to what, then sign in or sign up, and join. */
export function InvitePage({ id }: { id: string }) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.invitations.preview.queryOptions({ id }, { retry: false, staleTime: 0 }));
  const session = authClient.useSession();

  let body;
  if (preview.error) {
    body = (
      <>
        <h1>This invitation link does not work</h1>
        <FormError message={errorMessage(preview.error)} />
        <p className="muted">Ask the person who invited you for a new link.</p>
      </>
    );
  } else if (!preview.data || session.isPending) {
    body = <p className="muted">Opening the invitation…</p>;
  } else {
    const invitation = preview.data;
    const description = roleDescription(invitation.role);
    const person = session.data?.user;
    body = (
      <>
        <h1 data-testid="invite-title">
          {invitation.inviterName} invited you to {invitation.workspaceName} as {invitation.role ?? 'a member'}
        </h1>
        {description && (
          <p className={styles.inviteRole} data-testid="invite-role">
            <span className={accountsStyles.roleBadge}>{invitation.role}</span> {description}
          </p>
        )}
        {!invitation.usable ? (
          <div data-testid="invite-unusable">
            <p className="error-text" role="alert">
              {invitation.status === 'accepted'
                ? 'This invitation has already been used.'
                : invitation.status === 'pending'
                  ? `This invitation expired ${formatWhen(invitation.expiresAt)}.`
                  : 'This invitation was revoked.'}
            </p>
            <p className="muted">Ask {invitation.inviterName} for a new link.</p>
            {person && (
              <Link href="/" className="button">
                Go to your pipelines
              </Link>
            )}
          </div>
        ) : person ? (
          <AcceptSignedIn invitation={invitation} person={{ name: person.name, email: person.email }} />
        ) : invitation.accountExists ? (
          <SignInAndAccept invitation={invitation} />
        ) : (
          <CreateAccountAndAccept invitation={invitation} />
        )}
      </>
    );
  }
  return <AuthCard testId="invite-page">{body}</AuthCard>;
}
