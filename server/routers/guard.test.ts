import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { openTestDatabase } from '../../db/test-fixtures';
import { roleAllows } from '../auth/roles';
import { TestPeople } from '../auth/test-people';
import { findTemplate } from '../templates';
import { appRouter } from './app';

/** Procedures anyone may call: they reveal nothing of a workspace, or take a share link's token as the permission. */
const PUBLIC = new Set(['system.info', 'catalog.list', 'setup.status', 'invitations.preview', 'shares.get', 'shares.run']);
/** Procedures for a signed-in person about their own account, in any workspace (a viewer may switch workspaces). */
const SIGNED_IN = new Set(['account.me', 'workspaces.switch', 'workspaces.create', 'invitations.accept']);
/** Reads sent as mutations only so that a large graph travels in the body: a viewer may check a graph. */
const READS_SENT_AS_MUTATIONS = new Set(['graph.validate']);
/** Reads that hand a pipeline out of the workspace: editors only. */
const EDITOR_QUERIES = new Set(['pipelines.shareLinks']);
const OWNER_ONLY = new Set([
  'members.invite',
  'members.revokeInvitation',
  'members.setRole',
  'members.remove',
  'workspaces.rename',
  'workspaces.delete',
]);

type Caller = ReturnType<typeof appRouter.createCaller>;
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([name, procedure]) => ({
  name,
  type: procedure._def.type,
}));

/** Calls a procedure by its dotted name with an empty input; resolves to the tRPC error code, or 'OK'. */
async function outcome(caller: Caller, name: string): Promise<string> {
  let target: unknown = caller;
  for (const part of name.split('.')) target = (target as Record<string, unknown>)[part];
  try {
    await (target as (input: unknown) => Promise<unknown>)({});
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

let db: Db;
let people: TestPeople;
let owner: Headers;
let viewer: Headers;
let editor: Headers;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelab-guard-'));
  process.env.PIPELAB_DATA_DIR = dir;
  db = await openTestDatabase();
  people = new TestPeople(db);
  owner = await people.signUp('Olga Owner', 'olga@example.test');
  viewer = await people.invite(owner, 'Vera Viewer', 'vera@example.test', 'viewer');
  editor = await people.invite(owner, 'Ed Editor', 'ed@example.test', 'editor');
});

describe('the authorization guard', () => {
  it('sees every procedure of the router', () => {
    expect(procedures.length).toBeGreaterThan(40);
    for (const name of [...PUBLIC, ...SIGNED_IN, ...EDITOR_QUERIES, ...OWNER_ONLY]) expect(procedures.map((p) => p.name)).toContain(name);
  });

  it('answers an anonymous call to anything but the public procedures with 401', async () => {
    const anonymous = appRouter.createCaller(people.context());
    for (const { name } of procedures) {
      if (PUBLIC.has(name)) continue;
      expect([name, await outcome(anonymous, name)]).toEqual([name, 'UNAUTHORIZED']);
    }
  });

  it("answers a viewer's write with 403", async () => {
    const asViewer = appRouter.createCaller(people.context(viewer));
    for (const { name, type } of procedures) {
      if (PUBLIC.has(name) || SIGNED_IN.has(name) || READS_SENT_AS_MUTATIONS.has(name)) continue;
      if (type !== 'mutation' && !EDITOR_QUERIES.has(name)) continue;
      expect([name, await outcome(asViewer, name)]).toEqual([name, 'FORBIDDEN']);
    }
  });

  it("answers an editor's member and workspace management with 403", async () => {
    const asEditor = appRouter.createCaller(people.context(editor));
    for (const name of OWNER_ONLY) expect([name, await outcome(asEditor, name)]).toEqual([name, 'FORBIDDEN']);
  });

  it('lets a viewer read and an editor run', async () => {
    const asOwner = appRouter.createCaller(people.context(owner));
    const saved = await asOwner.pipelines.save({ name: 'Campaign', graph: structuredClone(findTemplate('sales-forecast')!.graph) });
    const asViewer = appRouter.createCaller(people.context(viewer));
    expect((await asViewer.pipelines.get({ id: saved.id })).name).toBe('Campaign');
    await expect(asViewer.pipelines.save({ id: saved.id, name: 'Mine now', graph: saved.graph })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const asEditor = appRouter.createCaller(people.context(editor));
    const changed = await asEditor.pipelines.save({ id: saved.id, name: 'Campaign', graph: saved.graph, message: 'Checked' });
    expect(changed.version).toBe(2);
    const activity = await asViewer.activity.list();
    expect(activity.items.map((line) => [line.actorName, line.action, line.subjectName])).toContainEqual(['Ed Editor', 'changed', 'Campaign']);
  });
});

describe('workspaces', () => {
  it('keeps each workspace to itself: another workspace\'s ids are "not found"', async () => {
    const asOwner = appRouter.createCaller(people.context(owner));
    const secret = await asOwner.pipelines.save({ name: 'Secret plan', graph: structuredClone(findTemplate('sales-forecast')!.graph) });
    // The editor makes a workspace of their own and opens it.
    // Each request looks its session up afresh, as each HTTP request does.
    const asEditor = new Proxy({} as Caller, { get: (_, key) => appRouter.createCaller(people.context(editor))[key as keyof Caller] });
    await asEditor.workspaces.create({ name: 'Ed’s side project' });
    expect((await asEditor.account.me()).active?.name).toBe('Ed’s side project');
    await expect(asEditor.pipelines.get({ id: secret.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(asEditor.pipelines.save({ id: secret.id, name: 'Overwritten', graph: secret.graph })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await asEditor.pipelines.list()).map((p) => p.name)).not.toContain('Secret plan');
    // Switching back shows it again, with the editor's role there.
    const first = (await asEditor.account.me()).workspaces.find((w) => w.role === 'editor')!;
    await asEditor.workspaces.switch({ id: first.id });
    expect((await asEditor.pipelines.list()).map((p) => p.name)).toContain('Secret plan');
  });

  it('ends a removed member\'s sessions at once', async () => {
    const leaving = await people.invite(owner, 'Lena Leaving', 'lena@example.test', 'editor');
    const asLeaving = appRouter.createCaller(people.context(leaving));
    expect((await asLeaving.pipelines.list()).length).toBeGreaterThan(0);
    const asOwner = appRouter.createCaller(people.context(owner));
    const lena = (await asOwner.members.list()).members.find((m) => m.email === 'lena@example.test')!;
    await asOwner.members.remove({ userId: lena.userId });
    await expect(appRouter.createCaller(people.context(leaving)).pipelines.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('keeps at least one owner, and refuses sign-up without an invitation', async () => {
    const asOwner = appRouter.createCaller(people.context(owner));
    const me = (await asOwner.account.me()).user;
    await expect(asOwner.members.setRole({ userId: me.id, role: 'viewer' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(people.signUp('Mallory', 'mallory@example.test')).rejects.toThrow(/invitation/);
  });
});

describe('the role table', () => {
  it('orders viewer < editor < owner', () => {
    expect(roleAllows('owner', 'editor')).toBe(true);
    expect(roleAllows('editor', 'editor')).toBe(true);
    expect(roleAllows('editor', 'owner')).toBe(false);
    expect(roleAllows('viewer', 'editor')).toBe(false);
  });
});
