/** Each defect found by attacking the server, replayed with the crafted request that showed it. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRows, uploadCsv } from '../../nodes/test-harness';
import { findTemplate } from '../templates';
import { startTestApp, type TestApp } from './fuzz/test-app';

let app: TestApp;
let pipelineId: string;

beforeAll(async () => {
  app = await startTestApp();
  const dataset = await uploadCsv(app.db, 'customers.csv', customerRows(50));
  const graph = structuredClone(findTemplate('campaign-response')!.graph);
  graph.nodes[0] = { ...graph.nodes[0], type: 'data.csv', params: { dataset, target: 'bought' } };
  const saved = await app.asOwner('/api/trpc/pipelines.save', { method: 'POST', body: JSON.stringify({ name: 'Campaign', graph }), headers: { 'content-type': 'application/json' } });
  pipelineId = ((await saved.json()) as { result: { data: { id: string } } }).result.data.id;
}, 60_000);

afterAll(async () => app?.close());

const errorOf = async (response: Response) => {
  const body = (await response.json()) as { error: { message: string } } | { error: { message: string } }[];
  return (Array.isArray(body) ? body[0] : body).error.message;
};

describe('requests that used to crash or exhaust the server', () => {
  it('a batch of 200 calls is refused whole, naming the limit', async () => {
    const response = await app.asOwner(`/api/trpc/${Array(200).fill('pipelines.list').join(',')}?batch=1&input={}`);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toBe('This request asks for 200 things at once; the limit is 16.');
  });

  it('a tRPC body over 25 MB is refused before it is parsed', async () => {
    const body = `{"graph":"${'x'.repeat(26 * 1024 * 1024)}"}`;
    const response = await app.asOwner('/api/trpc/graph.validate', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(413);
    // In-process the body has no Content-Length, so it is counted as it arrives.
    expect(await errorOf(response)).toMatch(/^This request is (26 MB; the limit is 25 MB|larger than 25 MB, the limit)\.$/);
  });

  it('graph JSON nested 5,000 deep is a 400 with a plain message, not a stack overflow', async () => {
    const params = `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const body = `{"graph":{"schemaVersion":1,"nodes":[{"id":"a","type":"data.csv","version":1,"params":${params}}],"edges":[]}}`;
    const response = await app.asOwner('/api/trpc/graph.validate', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatch(/nested more than 32 levels deep/);
  });

  it('malformed percent-encoding is a 400, and an overlong address a 414', async () => {
    const broken = await app.asOwner('/api/artifacts/%');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/not valid/);
    expect((await app.asOwner('/api/trpc/runs.get?input=%E0%A4%A')).status).toBe(400);
    expect((await app.asOwner(`/api/trpc/pipelines.get?input=${'x'.repeat(100_000)}`)).status).toBe(414);
  });

  it('a 10 MB pipeline id is refused', async () => {
    const body = JSON.stringify({ id: 'p'.repeat(10 * 1024 * 1024), name: 'Long', graph: { schemaVersion: 1, nodes: [], edges: [] } });
    const response = await app.asOwner('/api/trpc/pipelines.save', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
  });
});

describe('uploads', () => {
  const upload = (kind: string, body: BodyInit, headers: Record<string, string> = {}) =>
    app.asOwner(`/api/uploads/${kind}?name=customers.csv`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', ...headers } });

  it('streams a CSV to disk, checks it in a worker thread and keeps it under its hash', async () => {
    const response = await upload('dataset', customerRows(20).join('\n'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'customers.csv', rowCount: 20, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a file over the limit by its declared size, and one that is not a CSV with the parser\'s words', async () => {
    // Declared, not sent: a table's limit is 2 GB, and the route refuses by the declared size before reading a byte.
    const big = await upload('dataset', 'a,b\n1,2\n', { 'content-length': String(2.5 * 1024 ** 3) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: '"customers.csv" is 2.5 GB; the limit is 2 GB.' });
    const zip = await upload('dataset', Buffer.from('PK\u0003\u0004 not really'));
    expect(zip.status).toBe(400);
    expect(((await zip.json()) as { error: string }).error).toMatch(/^customers\.csv: /);
  });

  it('stops a Parquet file whose damaged page sends its reader round a loop, and the next upload is checked at once', async () => {
    const looping = fs.readFileSync('nodes/lib/fixtures/parquet/looping-page.parquet');
    const response = await app.asOwner('/api/uploads/dataset?name=export.parquet', { method: 'POST', body: looping, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'export.parquet: checking this file took more than 10 seconds, the limit for this upload.' });
    const next = await upload('dataset', customerRows(20, 9).join('\n'));
    expect(next.status).toBe(200);
  }, 60_000);

  /** A body of `bytes` bytes sent a megabyte at a time; `failAfter`: the sender breaks off after that many. */
  const streamed = (bytes: number, failAfter = Infinity) => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x31);
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= failAfter) return controller.error(new Error('the connection was lost'));
        if (sent >= bytes) return controller.close();
        const size = Math.min(chunk.byteLength, bytes - sent);
        controller.enqueue(chunk.slice(0, size));
        sent += size;
      },
    });
  };
  const incoming = () => fs.readdirSync(`${app.dataDir}/uploads/incoming`);

  it('stops a file with no declared size at the first byte past the limit, and one broken off midway, leaving nothing behind', async () => {
    const tooBig = await upload('model', streamed(100 * 1024 * 1024 + 1), {});
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ error: '"customers.csv" is larger than 100 MB, the limit for this kind of file.' });
    const broken = await upload('dataset', streamed(8 * 1024 * 1024, 3 * 1024 * 1024));
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toMatch(/^"customers\.csv" did not arrive whole \(.*\); try the upload again\.$/);
    expect(incoming()).toEqual([]);
  }, 60_000);

  it('takes only application/octet-stream, so a form on another site cannot post a file', async () => {
    const response = await upload('dataset', 'a,b\n1,2\n', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('is for editors: anonymous is 401, a viewer 403', async () => {
    const anonymous = await app.fetch(new Request('http://localhost/api/uploads/dataset?name=a.csv', { method: 'POST', body: 'a,b\n1,2\n', headers: { 'content-type': 'application/octet-stream' } }));
    expect(anonymous.status).toBe(401);
    const viewer = await app.people.invite(app.owner, 'Vera Viewer', 'vera@example.com', 'viewer');
    const refused = await app.fetch(
      new Request('http://localhost/api/uploads/dataset?name=a.csv', { method: 'POST', body: 'a,b\n1,2\n', headers: { 'content-type': 'application/octet-stream', cookie: viewer.get('cookie')! } }),
    );
    expect(refused.status).toBe(403);
  });
});

describe('exports', () => {
  it('streams the pipeline with its data file inside, for editors only', async () => {
    const response = await app.asOwner(`/api/pipelines/${pipelineId}/export?bundle=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="campaign-v1.pipelab.json"');
    const file = (await response.json()) as { bundle: Record<string, string> };
    expect(Object.keys(file.bundle)).toHaveLength(1);
    expect((await app.asOwner(`/api/pipelines/${pipelineId}/export?version=abc`)).status).toBe(400);
    expect((await app.asOwner('/api/pipelines/nope/export')).status).toBe(404);
    expect((await app.fetch(new Request(`http://localhost/api/pipelines/${pipelineId}/export`))).status).toBe(401);
  });
});
