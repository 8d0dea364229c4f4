'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { authClient, authErrorMessage } from '../../auth-client';
import { errorMessage, useTRPC, useTRPCClient } from '../../trpc';
import { Field, FormError, NewPasswordFields, useNewPassword } from './Field';
import { useAccount, useInvalidateMembers } from './useAccount';
import { useFormSubmit } from './useFormSubmit';
import styles from './MembersPage.module.css';
import ui from '../ui.module.css';

function ChangePassword() {
  const client = useTRPCClient();
  const account = useAccount();
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const { error, busy, submit } = useFormSubmit({
    check: () => {
      setDone(false);
      return current ? newPassword.problem() : 'Enter your current password.';
    },
    perform: async () => {
      const activeId = account.data?.active?.id;
      const result = await authClient.changePassword({ currentPassword: current, newPassword: newPassword.password, revokeOtherSessions: true });
      if (result.error) return authErrorMessage(result.error, 'password');
      // The new session opens the first workspace; stay in this one.
      if (activeId) await client.workspaces.switch.mutate({ id: activeId }).catch(() => null);
      return null;
    },
    onDone: () => {
      setDone(true);
      setCurrent('');
      newPassword.clear();
    },
  });
  return (
    <form className={`${ui.panel} ${ui.panelSnugOnPhones} ${styles.stackForm}`} onSubmit={submit} noValidate data-testid="change-password">
      <h3>Change your password</h3>
      <Field label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" required testId="current-password" />
      <NewPasswordFields
        value={newPassword}
        labels={['New password', 'Repeat the new password']}
        note="Your other devices are signed out."
        testIds={['new-password', 'repeat-password']}
      />
      <FormError message={error} testId="change-password-error" />
      {done && (
        <p className={styles.formSuccess} role="status" data-testid="change-password-done">
          Password changed.
        </p>
      )}
      <div>
        <button type="submit" className="button primary" disabled={busy} data-testid="change-password-submit">
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

/** A workspace form that sends one request when submitted. */
function WorkspaceForm({ onSubmit, testId, children }: { onSubmit(): void; testId?: string; children: ReactNode }) {
  return (
    <form
      className={styles.stackForm}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
      noValidate
      data-testid={testId}
    >
      {children}
    </form>
  );
}

function RenameWorkspace({ name }: { name: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateMembers();
  const [value, setValue] = useState(name);
  const rename = useMutation(trpc.workspaces.rename.mutationOptions({ onSuccess: invalidate }));
  return (
    <WorkspaceForm onSubmit={() => rename.mutate({ name: value.trim() })} testId="rename-workspace">
      <Field label="Workspace name" value={value} onChange={setValue} required maxLength={100} testId="workspace-name-input" />
      <FormError message={rename.error ? errorMessage(rename.error) : null} />
      {rename.isSuccess && !rename.isPending && (
        <p className={styles.formSuccess} role="status">
          Renamed.
        </p>
      )}
      <div>
        <button type="submit" className="button" disabled={rename.isPending || !value.trim() || value.trim() === name} data-testid="rename-workspace-submit">
          Rename
        </button>
      </div>
    </WorkspaceForm>
  );
}

function DeleteWorkspace({ name }: { name: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation(trpc.workspaces.delete.mutationOptions({ onSuccess: () => window.location.assign('/') }));
  if (!open) {
    return (
      <button type="button" className="button ghost danger-text" onClick={() => setOpen(true)} data-testid="delete-workspace">
        Delete this workspace…
      </button>
    );
  }
  return (
    <WorkspaceForm onSubmit={() => remove.mutate({ confirmName: typed })}>
      <p className="error-text small">
        Deleting removes every pipeline, run, link and API in “{name}” for everyone. It cannot be undone.
      </p>
      <Field label={`Type “${name}” to confirm`} value={typed} onChange={setTyped} autoComplete="off" testId="delete-workspace-confirm" />
      <FormError message={remove.error ? errorMessage(remove.error) : null} />
      <div className={styles.confirmRow}>
        <button type="submit" className="button danger" disabled={remove.isPending || typed.trim() !== name} data-testid="delete-workspace-submit">
          Delete workspace
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Keep it
        </button>
      </div>
    </WorkspaceForm>
  );
}

function NewWorkspace() {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const create = useMutation(trpc.workspaces.create.mutationOptions({ onSuccess: () => window.location.assign('/') }));
  return (
    <WorkspaceForm onSubmit={() => create.mutate({ name: name.trim() })} testId="new-workspace">
      <Field
        label="New workspace"
        value={name}
        onChange={setName}
        maxLength={100}
        hint="An empty workspace that you own, for work kept apart from this one."
        testId="new-workspace-name"
      />
      <FormError message={create.error ? errorMessage(create.error) : null} />
      <div>
        <button type="submit" className="button" disabled={create.isPending || !name.trim()} data-testid="new-workspace-submit">
          Create workspace
        </button>
      </div>
    </WorkspaceForm>
  );
}

/** Your password, and the workspace's name, a new workspace, or deleting this one (owners). */
export function AccountSettings({ workspaceName, isOwner }: { workspaceName: string | undefined; isOwner: boolean }) {
  return (
    <section className={ui.section}>
      <h2>Your account and workspaces</h2>
      <div className={styles.twoColumns}>
        <ChangePassword />
        <div className={`${ui.panel} ${ui.panelSnugOnPhones} ${styles.stackForm}`}>
          <h3>Workspace</h3>
          {workspaceName !== undefined && isOwner && <RenameWorkspace key={workspaceName} name={workspaceName} />}
          <NewWorkspace />
          {workspaceName !== undefined && isOwner && <DeleteWorkspace name={workspaceName} />}
        </div>
      </div>
    </section>
  );
}
