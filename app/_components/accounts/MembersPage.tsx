'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorCode, errorMessage, useTRPC } from '../../trpc';
import { formatTime, formatWhen } from '../format';
import { Field, FormError } from './Field';
import { ConfirmButton } from '../ConfirmButton';
import { AccountSettings } from './AccountSettings';
import { useInvalidateMembers } from './useAccount';
import styles from './MembersPage.module.css';
import accountsStyles from './accounts.module.css';
import ui from '../ui.module.css';

const ROLE_CHOICES = ['viewer', 'editor', 'owner'] as const;

function roleLabel(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** Copies text, saying whether it worked; the text stays selectable in its field either way. */
function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        className="button small-button"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setState('copied');
          } catch {
            setState('failed');
          }
        }}
        data-testid={testId}
      >
        Copy
      </button>
      <span className="small muted" aria-live="polite">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Select the link and copy it.' : ''}
      </span>
    </>
  );
}

type MembersList = NonNullable<ReturnType<typeof useMembersList>['data']>;
type Member = MembersList['members'][number];

function useMembersList() {
  const trpc = useTRPC();
  return useQuery(trpc.members.list.queryOptions(undefined, { staleTime: 0 }));
}

function MemberRow({ member, you, isOwner }: { member: Member; you: string; isOwner: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateMembers();
  const selectId = useId();
  const setRole = useMutation(trpc.members.setRole.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: invalidate }));
  const isYou = member.userId === you;
  const error = setRole.error ?? remove.error;
  return (
    <tr data-testid={`member-row-${member.email}`} data-role={member.role}>
      <td>
        <strong>{member.name || member.email}</strong>
        {isYou && <span className="tag">you</span>}
        <div className="muted small">{member.email}</div>
      </td>
      <td>
        {isOwner ? (
          <>
            <label htmlFor={selectId} className="visually-hidden">
              Role of {member.name || member.email}
            </label>
            <select
              id={selectId}
              value={member.role}
              disabled={setRole.isPending}
              onChange={(event) => setRole.mutate({ userId: member.userId, role: event.target.value as (typeof ROLE_CHOICES)[number] })}
              data-testid={`member-role-${member.email}`}
            >
              {ROLE_CHOICES.map((role) => (
                <option key={role} value={role}>
                  {roleLabel(role)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span className={accountsStyles.roleBadge}>{member.role}</span>
        )}
        {error && (
          <div className="error-text small" role="alert">
            {errorMessage(error)}
          </div>
        )}
      </td>
      <td className={`nowrap ${styles.hideNarrow}`} title={formatTime(member.joinedAt)}>
        {formatWhen(member.joinedAt)}
      </td>
      {isOwner && (
        <td className="nowrap">
          {!isYou && (
            <ConfirmButton
              label="Remove"
              question={`Remove ${member.name || member.email}? They are signed out at once.`}
              onConfirm={() => remove.mutate({ userId: member.userId })}
              pending={remove.isPending}
              testIds={{ ask: `remove-member-${member.email}`, confirm: `confirm-remove-${member.email}` }}
              askClassName="button ghost small-button danger-text"
              wrapperClassName={styles.confirmRow}
            />
          )}
        </td>
      )}
    </tr>
  );
}

/** A table of people or invitations; its third column is hidden on phones, its last holds the owners' buttons. */
function PeopleTable(props: { columns: [string, string, string]; withActions: boolean; testId?: string; children: ReactNode }) {
  return (
    <div className={styles.tableScroll}>
      <table className={`data-table ${styles.membersTable}`} data-testid={props.testId}>
        <thead>
          <tr>
            <th>{props.columns[0]}</th>
            <th>{props.columns[1]}</th>
            <th className={styles.hideNarrow}>{props.columns[2]}</th>
            {props.withActions && (
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

function PeopleSection({ list }: { list: MembersList }) {
  const isOwner = list.you.role === 'owner';
  return (
    <section className={ui.section} data-testid="members-list">
      <h2>People</h2>
      <p className={`muted ${ui.sectionLead}`}>
        {list.members.length} {list.members.length === 1 ? 'person' : 'people'} in {list.workspace.name}.
        {isOwner ? ' Change a role with its list; removing someone signs them out at once.' : ''}
      </p>
      <PeopleTable columns={['Person', 'Role', 'Joined']} withActions={isOwner}>
        {list.members.map((member) => (
          <MemberRow key={member.userId} member={member} you={list.you.userId} isOwner={isOwner} />
        ))}
      </PeopleTable>
    </section>
  );
}

function InviteSection({ list }: { list: MembersList }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateMembers();
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<(typeof ROLE_CHOICES)[number]>('editor');
  const [problem, setProblem] = useState<string | null>(null);
  const invite = useMutation(trpc.members.invite.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: invalidate }));
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const link = invite.data ? `${origin}${invite.data.path}` : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) return setProblem('Enter the email address of the person to invite.');
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };

  return (
    <section className={ui.section} data-testid="invite-section">
      <h2>Invite someone</h2>
      <p className={`muted ${ui.sectionLead}`}>
        You get a link to send them yourself. Whoever opens it signs in, or makes an account, with that address and joins
        with the role you pick.
      </p>
      <div className={`${ui.panel} ${ui.panelSnugOnPhones}`}>
        <form className={accountsStyles.inlineForm} onSubmit={submit} noValidate>
          <Field label="Email address" type="email" value={email} onChange={setEmail} autoComplete="off" required testId="invite-email-input" />
          <div className={`${accountsStyles.formField} ${accountsStyles.narrow}`}>
            <label htmlFor={roleId}>Role</label>
            <select id={roleId} value={role} onChange={(event) => setRole(event.target.value as typeof role)} data-testid="invite-role-input">
              {ROLE_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {roleLabel(choice)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary" disabled={invite.isPending} data-testid="invite-submit-button">
            {invite.isPending ? 'Making the link…' : 'Create invitation link'}
          </button>
        </form>
        <FormError message={problem ?? (invite.error ? errorMessage(invite.error) : null)} testId="invite-form-error" />
        {link && invite.data && (
          <div className={styles.inviteLink} data-testid="invite-link-box">
            <label htmlFor="new-invite-link" className="small">
              <strong>Send this link to {invite.variables?.email}.</strong> It works until {formatTime(invite.data.expiresAt)}.
            </label>
            <div className={styles.copyRow}>
              <input id="new-invite-link" type="text" readOnly value={link} onFocus={(event) => event.target.select()} data-testid="invite-link" />
              <CopyButton text={link} testId="copy-invite-link" />
            </div>
          </div>
        )}
      </div>

      <h3 className={styles.pendingTitle}>Waiting to be accepted</h3>
      {list.invitations.length === 0 ? (
        <p className="muted small">No invitations are waiting.</p>
      ) : (
        <PeopleTable columns={['Email', 'Role', 'Expires']} withActions testId="pending-invitations">
          {list.invitations.map((invitation) => {
            const url = `${origin}/invite/${invitation.id}`;
            return (
              <tr key={invitation.id} data-testid={`invitation-row-${invitation.email}`}>
                <td>{invitation.email}</td>
                <td>
                  <span className={accountsStyles.roleBadge}>{invitation.role}</span>
                </td>
                <td className={`nowrap ${styles.hideNarrow}`}>{formatTime(invitation.expiresAt)}</td>
                <td className="nowrap">
                  <span className={styles.confirmRow}>
                    <CopyButton text={url} testId={`copy-invitation-${invitation.email}`} />
                    <button
                      type="button"
                      className="button ghost small-button danger-text"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ id: invitation.id })}
                      data-testid={`revoke-invitation-${invitation.email}`}
                    >
                      Revoke
                    </button>
                  </span>
                </td>
              </tr>
            );
          })}
        </PeopleTable>
      )}
      <FormError message={revoke.error ? errorMessage(revoke.error) : null} />
    </section>
  );
}

function RolesSection() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.members.roles.queryOptions(undefined, { staleTime: Infinity }));
  if (!roles.data) return null;
  return (
    <section className={ui.section} data-testid="roles-table">
      <h2>What each role can do</h2>
      <div className={styles.tableScroll}>
        <table className={`data-table ${styles.rolesTable}`}>
          <tbody>
            {roles.data.map((role) => (
              <tr key={role.name}>
                <td>
                  <span className={accountsStyles.roleBadge}>{role.name}</span>
                </td>
                <td>{role.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function MembersPage() {
  const list = useMembersList();
  const data = list.data;
  const isOwner = data?.you.role === 'owner';
  const noWorkspace = errorCode(list.error) === 'FORBIDDEN';
  return (
    <div className={`page ${ui.accountPage}`} data-testid="members-page">
      <div className="page-head">
        <div>
          <h1>Members</h1>
          <p className="muted">
            {data ? (
              <>
                Who can open <strong>{data.workspace.name}</strong> and what they can do. You are{' '}
                {data.you.role === 'owner' ? 'an owner' : `a ${data.you.role}`}.
              </>
            ) : (
              'Who can open this workspace and what they can do.'
            )}
          </p>
        </div>
      </div>
      {list.isPending && <p className="muted">Loading…</p>}
      {list.error && (
        <p className="error-text" role="alert">
          {noWorkspace ? errorMessage(list.error) : `Members could not be loaded: ${errorMessage(list.error)}`}
        </p>
      )}
      {data && <PeopleSection list={data} />}
      {data && isOwner && <InviteSection list={data} />}
      {data && <RolesSection />}
      <AccountSettings workspaceName={data?.workspace.name} isOwner={isOwner} />
    </div>
  );
}
