import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { organization } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/organization/access';
import { dialectOf, drizzleHandle, getDb, type Db } from '../../db/client';
import { authTables } from '../../db/schema';
import { countUsers, firstWorkspaceOf, hasPendingInvitation } from '../../db/workspaces';
import { isAllowedHost } from '../http/network-guard';
import { authSecret } from './secret';
import { MIN_PASSWORD_LENGTH } from './roles';
import { AUTH_COOKIE_PREFIX } from './cookie';
import { recordActivity } from '../workspaces/activity';
import { setUpFirstWorkspace } from '../workspaces/service';

const accessControl = createAccessControl(defaultStatements);
/** The library checks member and invitation management with these; our guard checks everything else by role rank. */
const libraryRoles = {
  owner: accessControl.newRole({
    organization: ['update', 'delete'],
    member: ['create', 'update', 'delete'],
    invitation: ['create', 'cancel'],
  }),
  editor: accessControl.newRole({}),
  viewer: accessControl.newRole({}),
};

export const SESSION_DAYS = 7;
export const INVITATION_DAYS = 7;
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

/**
 * Origins whose form posts and fetches the library accepts: the page's own origin when its Host is one
 * this Pipelab answers (the network guard has refused the others already), and PIPELAB_PUBLIC_URL.
 */
function trustedOriginsFor(host: string | null): string[] {
  const origins: string[] = [];
  if (host && isAllowedHost(host, process.env)) origins.push(`http://${host}`, `https://${host}`);
  const publicUrl = process.env.PIPELAB_PUBLIC_URL;
  if (publicUrl) {
    try {
      origins.push(new URL(publicUrl).origin);
    } catch {
      // A malformed public URL is reported by the network guard.
    }
  }
  return origins;
}

function personName(user: { name?: string | null; email?: string | null }): string {
  return user.name || user.email || 'Someone';
}

function createAuth(db: Db) {
  return betterAuth({
    appName: 'Pipelab',
    secret: authSecret(),
    // Only hosts the network guard lets through reach here; cookies are marked Secure behind HTTPS.
    baseURL: process.env.PIPELAB_PUBLIC_URL || undefined,
    trustedOrigins: (request) => trustedOriginsFor(request?.headers.get('host') ?? null),
    database: drizzleAdapter(drizzleHandle(db) as Parameters<typeof drizzleAdapter>[0], {
      provider: dialectOf(db) === 'postgresql' ? 'pg' : 'sqlite',
      schema: authTables,
    }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 200, autoSignIn: true },
    session: { expiresIn: SESSION_DAYS * 24 * 3600, updateAge: 24 * 3600 },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
        '/sign-up/email': { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
        '/change-password': { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
      },
    },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      useSecureCookies: process.env.PIPELAB_PUBLIC_URL?.startsWith('https://') ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      ipAddress: { ipAddressHeaders: ['x-forwarded-for'] },
    },
    telemetry: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          // Accounts come from the setup page (the very first one) or from an invitation.
          before: async (user) => {
            if ((await countUsers(db)) === 0) return;
            if (!(await hasPendingInvitation(db, user.email))) {
              throw new APIError('FORBIDDEN', {
                message: 'Accounts are made by invitation. Ask an owner of your workspace for an invitation link.',
              });
            }
          },
          after: async (user) => {
            if ((await countUsers(db)) === 1) await setUpFirstWorkspace(db, { id: user.id, name: personName(user) });
          },
        },
      },
      session: {
        create: {
          // A new session opens the person's first workspace.
          before: async (session) => {
            const workspaceId = await firstWorkspaceOf(db, session.userId);
            return { data: { ...session, activeOrganizationId: workspaceId ?? null } };
          },
        },
      },
    },
    plugins: [
      organization({
        ac: accessControl,
        roles: libraryRoles,
        creatorRole: 'owner',
        allowUserToCreateOrganization: true,
        invitationExpiresIn: INVITATION_DAYS * 24 * 3600,
        cancelPendingInvitationsOnReInvite: true,
        organizationHooks: {
          afterAcceptInvitation: async ({ member, user, organization: workspace }) => {
            await recordActivity(db, { workspaceId: workspace.id, userId: user.id, actorName: personName(user) }, {
              action: 'joined',
              subjectType: 'member',
              subjectId: member.userId,
              subjectName: personName(user),
              detail: `as ${member.role}`,
            });
          },
        },
      }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { pipelabAuth?: Promise<Auth> };

/** The one authentication instance of this server process. */
export function getAuth(): Promise<Auth> {
  globalForAuth.pipelabAuth ??= getDb()
    .then(createAuth)
    .catch((error: unknown) => {
      globalForAuth.pipelabAuth = undefined;
      throw error;
    });
  return globalForAuth.pipelabAuth;
}

/** An instance over another database, for tests. */
export function authFor(db: Db): Auth {
  return createAuth(db);
}
