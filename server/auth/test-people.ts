import type { Db } from '../../db/client';
import { firstWorkspaceOf } from '../../db/workspaces';
import { requestContext, type AppContext } from '../context';
import type { RunDispatcher } from '../runs/dispatch';
import { InProcessRunEventBus, type RunEventBus } from '../runs/live-events';
import { authFor, type Auth } from './auth';
import type { Role } from './roles';

/** The cookie header a browser would send after the library's Set-Cookie headers. */
function cookiesFrom(setCookie: Headers): Headers {
  return new Headers({ cookie: setCookie.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ') });
}

/** Real accounts and sessions over a test database, made through the authentication library itself. */
export class TestPeople {
  readonly auth: Auth;
  constructor(
    readonly db: Db,
    readonly runs: RunDispatcher = {} as RunDispatcher,
    readonly events: RunEventBus = new InProcessRunEventBus(),
  ) {
    this.auth = authFor(db);
  }

  /** Signs up; the very first account becomes the owner of the first workspace. Returns its request headers. */
  async signUp(name: string, email: string, password = 'correct horse battery'): Promise<Headers> {
    const { headers } = await this.auth.api.signUpEmail({ body: { name, email, password }, returnHeaders: true });
    return cookiesFrom(headers);
  }

  async signIn(email: string, password = 'correct horse battery'): Promise<Headers> {
    const { headers } = await this.auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
    return cookiesFrom(headers);
  }

  /** The owner (by their headers) invites someone, who signs up and accepts; returns the newcomer's headers. */
  async invite(owner: Headers, name: string, email: string, role: Role): Promise<Headers> {
    const session = await this.auth.api.getSession({ headers: owner });
    const organizationId = await firstWorkspaceOf(this.db, session!.user.id)!;
    const invitation = await this.auth.api.createInvitation({ headers: owner, body: { email, role, organizationId } });
    const newcomer = await this.signUp(name, email);
    await this.auth.api.acceptInvitation({ headers: newcomer, body: { invitationId: invitation.id } });
    return newcomer;
  }

  context(headers: Headers = new Headers()): AppContext {
    return requestContext({ db: this.db, runs: this.runs, auth: this.auth, events: this.events }, headers);
  }
}
