'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';
import ui from '../ui.module.css';

/** The signed-in person, their workspaces and the active one with their role. Fails (401) when signed out. */
export function useAccount() {
  const trpc = useTRPC();
  return useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 30_000, retry: false }));
}

export type WorkspaceRole = 'viewer' | 'editor' | 'owner';

/** The role in the active workspace; undefined while it loads or when signed out. */
export function useRole(): WorkspaceRole | undefined {
  const account = useAccount();
  return account.data?.active?.role as WorkspaceRole | undefined;
}

/**
 * Whether to show controls that change or run things. Only a known viewer loses them: while the role
 * loads they stay (the server refuses anyway), so an editor's page does not jump around.
 */
export function useCanEdit(): boolean {
  return useRole() !== 'viewer';
}

export const VIEWER_NOTE = 'You can view this workspace; ask an owner to make you an editor to change or run pipelines.';

/** The short note a viewer sees where editors see Run and Save. */
export function ViewerNote({ className = '' }: { className?: string }) {
  const role = useRole();
  if (role !== 'viewer') return null;
  return (
    <p className={`${ui.viewerNote} ${className}`.trim()} role="note" data-testid="viewer-note">
      {VIEWER_NOTE}
    </p>
  );
}

/** After a change to who is in the workspace or to your account: refetch the members and your account. */
export function useInvalidateMembers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
  };
}
