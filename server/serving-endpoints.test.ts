import { beforeAll, describe, expect, it } from 'vitest';
import { POST } from '../app/api/predict/[id]/route';
import type { Db } from '../db/client';
import { getEndpoint, revokeEndpoint } from '../db/endpoints';
import { makeWorkspace } from '../db/test-fixtures';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../nodes/test-harness';
import type { Actor } from './auth/guard';
import type { ServerContext } from './context';
import { publishEndpoint, unpublishEndpoint } from './endpoints';
import { flushTraffic } from './monitoring/recorder';
import { InProcessExecutor } from './runs/in-process';
import { startRun } from './runs/service';
import { RECHECK_MS, servingEndpoint } from './serving-endpoints';

let db: Db;
let actor: Actor;
let runId: string;

beforeAll(async () => {
  db = await useTempDataDir();
  const workspace = await makeWorkspace(db);
  actor = { userId: workspace.userId, name: 'Owner', email: 'o@example.test', workspaceId: workspace.workspaceId, workspaceName: 'Test', role: 'owner' };
  const dataset = await uploadCsv(db, 'customers.csv', customerRows(200));
  const pipeline = graph(
    { data: ['data.csv', { dataset, target: 'bought' }], encode: ['prep.oneHot'], split: ['prep.split', { testFraction: 0.25, seed: 3 }], model: ['model.logisticRegression'] },
    ['data.table -> encode.table', 'encode.table -> split.table', 'split.split -> model.data'],
  );
  const started = await startRun(db, new InProcessExecutor(), { graph: pipeline, pipelineId: null, label: 'serving', origin: 'cli', workspaceId: actor.workspaceId, startedBy: null });
  await started.done;
  runId = started.runId;
  // The route reads its database from the process-wide server context; this test's database stands in for the server's.
  (globalThis as { pipelabContext?: Partial<ServerContext> }).pipelabContext = { db };
});

const publish = (name: string) => publishEndpoint(db, { runId, nodeId: 'model', name, workspaceId: actor.workspaceId, createdBy: actor.userId });

const customer = { spend: 90, visits: 15, region: 'north' };

function post(api: { id: string; token: string }, token = api.token, rows = [customer]) {
  const request = new Request(`http://localhost/api/predict/${api.id}`, {
    method: 'POST',
    body: JSON.stringify({ rows }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return POST(request, { params: Promise.resolve({ id: api.id }) });
}

describe('endpoint rows kept in memory for serving', () => {
  it('refuses a token from the very next request once its API is unpublished in this process', async () => {
    const api = await publish('unpublished here');
    // Answered twice: the second answer comes from the row kept in memory.
    expect((await post(api)).status).toBe(200);
    expect((await post(api)).status).toBe(200);
    await unpublishEndpoint(db, actor, api.id);
    const refused = await post(api);
    expect(refused.status).toBe(404);
    expect((await refused.json()).error).toMatch(/unpublished/);
  });

  it('still refuses a wrong token for a kept row, and a right one for another API', async () => {
    const first = await publish('first');
    const second = await publish('second');
    expect((await post(first)).status).toBe(200);
    expect((await post(second)).status).toBe(200);
    expect((await post(first, second.token)).status).toBe(401);
    expect((await post(first, 'not-the-token')).status).toBe(401);
  });

  it('reads a row revoked by another process again once it is RECHECK_MS old', async () => {
    const api = await publish('unpublished elsewhere');
    const readAt = Date.UTC(2030, 0, 1);
    expect((await servingEndpoint(db, api.id, readAt))?.revokedAt).toBeNull();
    // Another web server of the team revokes it: the database changes, this process's memory does not.
    await revokeEndpoint(db, api.id);
    expect((await servingEndpoint(db, api.id, readAt + RECHECK_MS - 1))?.revokedAt).toBeNull();
    expect((await servingEndpoint(db, api.id, readAt + RECHECK_MS))?.revokedAt).toEqual(expect.any(Number));
    // A clock that went backwards does not keep an old row either.
    expect((await servingEndpoint(db, api.id, readAt - 5))?.revokedAt).toEqual(expect.any(Number));
  });

  it('keeps no row for an address with no API, so one published later answers at once', async () => {
    expect(await servingEndpoint(db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const api = await publish('new');
    expect((await post(api)).status).toBe(200);
  });
});

describe('requests served', () => {
  it('counts answered requests in memory and stores them with the traffic minutes', async () => {
    const api = await publish('counted');
    for (let i = 0; i < 3; i++) expect((await post(api)).status).toBe(200);
    // A refused request is not counted as served.
    expect((await post(api, 'wrong')).status).toBe(401);
    await flushTraffic();
    expect((await getEndpoint(db, api.id))?.requestCount).toBe(3);
    expect((await post(api)).status).toBe(200);
    await flushTraffic();
    expect((await getEndpoint(db, api.id))?.requestCount).toBe(4);
  });
});

describe('answer size and compression', () => {
  it('marks answers under 1 KB no-transform, so that Next does not gzip them, and leaves larger ones to it', async () => {
    const api = await publish('small');
    const small = await post(api);
    expect(small.headers.get('cache-control')).toBe('no-transform');
    expect(small.headers.get('content-type')).toBe('application/json');
    expect((await small.json()).predictions).toHaveLength(1);
    const refused = await post(api, 'wrong');
    expect(refused.headers.get('cache-control')).toBe('no-transform');
    const large = await post(api, api.token, Array.from({ length: 50 }, () => customer));
    expect(large.headers.get('cache-control')).toBeNull();
    const text = await large.text();
    expect(text.length).toBeGreaterThan(1024);
    expect(JSON.parse(text).predictions).toHaveLength(50);
  });
});
