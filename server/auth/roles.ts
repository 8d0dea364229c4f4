/**
 * The three roles of a workspace, in plain words. The order matters: each role can do everything the
 * one before it can. This table is what the guard checks, what the Members page shows and what
 * docs/security.md prints.
 */
export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Opens pipelines, runs, comparisons and reports, and downloads reports.',
  editor: 'Everything a viewer can, plus creates, edits, runs, imports, exports, shares and publishes.',
  owner: 'Everything, plus members and roles, revoking any share link or API, and deleting the workspace.',
};

/** The shortest password an account may have; the sign-up forms and the server both use it. */
export const MIN_PASSWORD_LENGTH = 10;

/** The signed-in person behind a request. */
export interface SessionInfo {
  userId: string;
  name: string;
  email: string;
  activeWorkspaceId: string | null;
}

/** A person acting in one workspace with one role: what every guarded procedure and route receives. */
export interface Actor {
  userId: string;
  name: string;
  email: string;
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `role` may do what needs `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
