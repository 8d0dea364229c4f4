/**
 * The app's real route handlers and proxy, answering Requests in-process over a fresh data directory,
 * for the hostile-input tests: every request goes where Next would send it, through the same code.
 * (Next's own routing and page rendering are the only parts left out; scripts/bench-hostile.ts sends the
 * same kind of requests to a real server.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { openDatabase, type Db } from '../../../db/client';
import { TestPeople } from '../../auth/test-people';
import type { ServerContext } from '../../context';
import { EmbeddedRuns } from '../../runs/dispatch';
import { InProcessRunEventBus, type RunEventBus } from '../../runs/live-events';
import { closeCheckPool } from '../../files/check-pool';

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
interface Route {
  pattern: RegExp;
  /** Names of the pattern's groups, in order; `...all` takes the rest of the path as segments. */
  params: string[];
  load: () => Promise<Record<string, unknown>>;
  /** Whether proxy.ts runs before it (see its matcher). */
  proxied: boolean;
}

const ROUTES: Route[] = [
  { pattern: /^\/api\/trpc\/([^/]+)$/, params: ['trpc'], load: () => import('../../../app/api/trpc/[trpc]/route'), proxied: false },
  { pattern: /^\/api\/uploads\/([^/]+)$/, params: ['kind'], load: () => import('../../../app/api/uploads/[kind]/route'), proxied: false },
  { pattern: /^\/api\/predict\/([^/]+)$/, params: ['id'], load: () => import('../../../app/api/predict/[id]/route'), proxied: false },
  { pattern: /^\/api\/predict\/([^/]+)\/outcomes$/, params: ['id'], load: () => import('../../../app/api/predict/[id]/outcomes/route'), proxied: false },
  { pattern: /^\/api\/artifacts\/([^/]+)$/, params: ['hash'], load: () => import('../../../app/api/artifacts/[hash]/route'), proxied: true },
  { pattern: /^\/api\/pipelines\/([^/]+)\/export$/, params: ['id'], load: () => import('../../../app/api/pipelines/[id]/export/route'), proxied: true },
  { pattern: /^\/api\/runs\/([^/]+)\/events$/, params: ['runId'], load: () => import('../../../app/api/runs/[runId]/events/route'), proxied: true },
  { pattern: /^\/api\/report\/run\/([^/]+)$/, params: ['runId'], load: () => import('../../../app/api/report/run/[runId]/route'), proxied: true },
  { pattern: /^\/api\/report\/compare$/, params: [], load: () => import('../../../app/api/report/compare/route'), proxied: true },
  { pattern: /^\/api\/report\/shared\/([^/]+)$/, params: ['token'], load: () => import('../../../app/api/report/shared/[token]/route'), proxied: true },
  { pattern: /^\/api\/auth\/(.+)$/, params: ['...all'], load: () => import('../../../app/api/auth/[...all]/route'), proxied: true },
];

const globalForApp = globalThis as unknown as { pipelabContext?: Promise<ServerContext> };

export interface TestApp {
  root: string;
  dataDir: string;
  db: Db;
  people: TestPeople;
  /** The live run events the app's runs announce and its event streams listen to. */
  events: RunEventBus;
  /** The owner's cookie header. */
  owner: Headers;
  /** Answers a request as the app would. */
  fetch(request: Request): Promise<Response>;
  /** Sends a request with the owner's cookie added. */
  asOwner(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

function withHeader(request: Request, name: string, value: string): Request {
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}

export async function startTestApp(): Promise<TestApp> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-hostile-'));
  const dataDir = path.join(root, 'data');
  process.env.PIPELAB_DATA_DIR = dataDir;
  const db = await openDatabase(path.join(dataDir, 'pipelab.sqlite'));
  const events = new InProcessRunEventBus();
  const runs = new EmbeddedRuns(db, events);
  const people = new TestPeople(db, runs, events);
  globalForApp.pipelabContext = Promise.resolve({ db, runs, auth: people.auth, events });
  const owner = await people.signUp('Olive Owner', 'olive@example.com');
  const { proxy } = await import('../../../proxy');

  async function dispatch(incoming: Request): Promise<Response> {
    const url = new URL(incoming.url);
    // A browser always sends Host; Next answers a request without one before any of our code runs.
    const request = incoming.headers.has('host') ? incoming : withHeader(incoming, 'host', url.host);
    const route = ROUTES.find((candidate) => candidate.pattern.test(url.pathname));
    if (!route || route.proxied) {
      const early = proxy(new NextRequest(request.url, { method: request.method, headers: request.headers }));
      // NextResponse.next() means "go on to the route"; anything else is the proxy's own answer.
      if (!early.headers.get('x-middleware-next')) return early;
      if (!route) return new Response('A page (rendered by Next, not in this test).', { status: 200 });
    }
    const match = route.pattern.exec(url.pathname)!;
    const params: Record<string, string | string[]> = {};
    try {
      route.params.forEach((name, index) => {
        const raw = match[index + 1];
        if (name.startsWith('...')) params[name.slice(3)] = raw.split('/').map(decodeURIComponent);
        else params[name] = decodeURIComponent(raw);
      });
    } catch {
      // As Next does for a path segment it cannot decode.
      return new Response('Bad Request', { status: 400 });
    }
    const module = await route.load();
    const handler = module[request.method] as Handler | undefined;
    if (!handler) return new Response('Method not allowed.', { status: 405 });
    return handler(request, { params: Promise.resolve(params) });
  }

  return {
    root,
    dataDir,
    db,
    people,
    events,
    owner,
    fetch: dispatch,
    asOwner(url, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', owner.get('cookie') ?? '');
      return dispatch(new Request(new URL(url, 'http://localhost'), { ...init, headers, duplex: 'half' } as RequestInit));
    },
    async close() {
      await runs.close();
      await events.close();
      await closeCheckPool();
      delete globalForApp.pipelabContext;
    },
  };
}
