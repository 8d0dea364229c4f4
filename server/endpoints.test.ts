import { fc, test as property } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST } from '../app/api/predict/[id]/route';
import type { Db } from '../db/client';
import { getRun } from '../db/runs';
import { LIMITS, MiB } from '../models/limits';
import { customerRows, graph, uploadCsv, useTempDataDir } from '../nodes/test-harness';
import type { ServerContext } from './context';
import { EndpointError, predictWithEndpoint, publishEndpoint, refuseLargeAnswer } from './endpoints';
import { InProcessExecutor } from './runs/in-process';
import { startRun } from './runs/service';

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

let db: Db;
let endpoint: { id: string; token: string };
let auth: string;

/** The customer table with a spreadsheet-style TRUE/FALSE column, which a JSON client would send as booleans. */
const trainingRows = () => customerRows(300).map((line, i) => `${line},${i === 0 ? 'member' : i % 3 === 0 ? 'TRUE' : 'FALSE'}`);

beforeAll(async () => {
  db = await useTempDataDir();
  const dataset = await uploadCsv(db, 'customers.csv', trainingRows());
  const pipeline = graph(
    {
      data: ['data.csv', { dataset, target: 'bought' }],
      encode: ['prep.oneHot'],
      scale: ['prep.normalize'],
      split: ['prep.split', { testFraction: 0.25, seed: 3 }],
      logistic: ['model.logisticRegression'],
    },
    ['data.table -> encode.table', 'encode.table -> scale.table', 'scale.table -> split.table', 'split.split -> logistic.data'],
  );
  const { runId, done } = await startRun(db, new InProcessExecutor(), { graph: pipeline, pipelineId: null, label: 'api', origin: 'cli', workspaceId: null, startedBy: null });
  await done;
  expect((await getRun(db, runId))!.status).toBe('succeeded');
  endpoint = await publishEndpoint(db, { runId, nodeId: 'logistic', name: 'Who buys', workspaceId: null, createdBy: null });
  auth = `Bearer ${endpoint.token}`;
  // The route reads its database from the process-wide server context; this test's database stands in for the server's.
  (globalThis as { pipelabContext?: Partial<ServerContext> }).pipelabContext = { db };
});

const customer = { spend: 90, visits: 15, region: 'north', member: 'TRUE' };
/** The answer with each row's prediction id left out (ids differ row by row; see monitoring/outcomes.test.ts). */
const predict = async (rows: unknown) => {
  const answer = await predictWithEndpoint(db, endpoint.id, auth, { rows });
  return { ...answer, predictions: answer.predictions.map(({ predictionId: _id, ...values }) => values) };
};

async function refusal(run: () => Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EndpointError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected an EndpointError');
}

describe('prediction API: values checked against the trained columns', () => {
  it('takes numbers, plain numeric text, missing values, unknown extra keys and a target field', async () => {
    const answer = await predict([customer, { ...customer, spend: ' 90 ', visits: '1.5e1', nickname: { any: 'thing' }, bought: [1] }, { ...customer, region: null }]);
    expect(answer.predictions).toHaveLength(3);
    expect(answer.predictions[1]).toEqual(answer.predictions[0]);
  });

  it('takes a number in a text column as the text training saw for it', async () => {
    const [asNumber, asText] = (await predict([{ ...customer, region: 7 }, { ...customer, region: '7' }])).predictions;
    expect(asNumber).toEqual(asText);
  });

  it('takes true/false in a column trained on the words TRUE and FALSE, spelled as in training', async () => {
    const [asBoolean, asText, notMember, asFalseText] = (
      await predict([
        { ...customer, member: true },
        customer,
        { ...customer, member: false },
        { ...customer, member: 'FALSE' },
      ])
    ).predictions;
    expect(asBoolean).toEqual(asText);
    expect(notMember).toEqual(asFalseText);
  });

  it('refuses objects, arrays and booleans, naming the row and the column', async () => {
    expect(await refusal(() => predict([customer, customer, { ...customer, spend: { value: 3 } }]))).toEqual({
      status: 400,
      message: 'Row 3, column "spend": expected a number, got an object.',
    });
    expect((await refusal(() => predict([{ ...customer, visits: [15] }]))).message).toBe('Row 1, column "visits": expected a number, got an array.');
    expect((await refusal(() => predict([customer, { ...customer, visits: true }]))).message).toBe('Row 2, column "visits": expected a number, got true.');
    expect((await refusal(() => predict([{ ...customer, region: ['north'] }]))).message).toBe('Row 1, column "region": expected text, got an array.');
    expect((await refusal(() => predict([{ ...customer, region: { name: 'north' } }]))).message).toBe('Row 1, column "region": expected text, got an object.');
    expect((await refusal(() => predict([{ ...customer, region: false }]))).message).toBe('Row 1, column "region": expected text, got false.');
  });

  it('refuses text that is not a plain decimal number, quoting a shortened copy', async () => {
    expect((await refusal(() => predict([{ ...customer, spend: 'lots' }]))).message).toBe('Row 1, column "spend": expected a number, got "lots".');
    expect((await refusal(() => predict([{ ...customer, spend: '0x10' }]))).message).toBe('Row 1, column "spend": expected a number, got "0x10".');
    expect((await refusal(() => predict([{ ...customer, spend: 'Infinity' }]))).message).toBe('Row 1, column "spend": expected a number, got "Infinity".');
    expect((await refusal(() => predict([{ ...customer, spend: 'x'.repeat(100) }]))).message).toBe(`Row 1, column "spend": expected a number, got "${'x'.repeat(40)}…".`);
  });

  it('refuses rows that are not objects and fields no row has', async () => {
    expect(await refusal(() => predict([customer, 'north']))).toEqual({ status: 400, message: 'Row 2 is not an object. Send JSON like {"rows": [{"column": value, ...}, ...]}.' });
    expect(await refusal(() => predict([]))).toEqual({ status: 400, message: 'Send JSON like {"rows": [{"column": value, ...}, ...]}.' });
    expect(await refusal(() => predict([{ spend: 1, visits: 2, member: 'TRUE', toString: 'x' }]))).toEqual({ status: 400, message: 'Every row needs the field "region".' });
  });

  it('refuses more rows than the limit with 413, naming it', async () => {
    expect((await predict(Array(LIMITS.predict.rows).fill(customer))).predictions).toHaveLength(LIMITS.predict.rows);
    expect(await refusal(() => predict(Array(20_000).fill(customer)))).toEqual({ status: 413, message: 'This request has 20,000 rows; the limit is 10,000 rows per request.' });
  });

  it('scores a large request in parts, with the same answers as requests of one part each', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ spend: (i * 37) % 200, visits: i % 23, region: ['north', 'south', 'east'][i % 3], member: i % 2 === 0 ? 'TRUE' : 'FALSE' }));
    expect(LIMITS.predict.scoredRowsAtOnce).toBeLessThan(rows.length);
    const whole = (await predict(rows)).predictions;
    const parts = [];
    for (let at = 0; at < rows.length; at += 500) parts.push(...(await predict(rows.slice(at, at + 500))).predictions);
    expect(whole).toEqual(parts);
    expect(new Set(whole.map((p) => p['predicted bought'])).size).toBe(2);
  });

  it('refuses an answer of more values than its limit, naming the rows a request may have for this model', () => {
    const manyClasses = { task: 'classification' as const, classes: Array.from({ length: 198 }, (_, i) => `class ${i}`) };
    expect(() => refuseLargeAnswer(manyClasses, 5_000)).not.toThrow();
    expect(() => refuseLargeAnswer(manyClasses, 5_001)).toThrow(
      "This request has 5,001 rows and this model answers 200 values a row (its id, the prediction and each of its 198 classes' probability); the limit is 1,000,000 values per answer, so at most 5,000 rows per request.",
    );
    expect(() => refuseLargeAnswer({ task: 'regression', classes: [] }, LIMITS.predict.rows)).not.toThrow();
  });
});

describe('prediction API route', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    POST(new Request(`http://localhost/api/predict/${endpoint.id}`, { method: 'POST', body, headers: { authorization: auth, ...headers }, duplex: 'half' } as RequestInit), {
      params: Promise.resolve({ id: endpoint.id }),
    });
  const answer = async (response: Response) => ({ status: response.status, body: await response.json() });

  it('answers a well-formed request', async () => {
    const { status, body } = await answer(await post(JSON.stringify({ rows: [customer] })));
    expect(status).toBe(200);
    expect(body.predictions).toHaveLength(1);
  });

  it('refuses a body that is not JSON, and values of the wrong kind, with 400', async () => {
    expect(await answer(await post('{"rows": ['))).toEqual({ status: 400, body: { error: 'The request body is not JSON.' } });
    expect(await answer(await post(JSON.stringify({ rows: [{ ...customer, spend: {} }] })))).toEqual({
      status: 400,
      body: { error: 'Row 1, column "spend": expected a number, got an object.' },
    });
  });

  it('refuses a body over the limit by its Content-Length, before reading it', async () => {
    const response = await post('{}', { 'content-length': String(12 * MiB) });
    expect(await answer(response)).toEqual({ status: 413, body: { error: 'This request body is 12 MB; the limit is 10 MB.' } });
  });

  it('refuses a body over the limit while reading it, whatever Content-Length says', async () => {
    const chunk = new Uint8Array(MiB).fill(0x20);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await post(endless, { 'content-length': '2' });
    expect(await answer(response)).toEqual({ status: 413, body: { error: 'This request body is larger than 10 MB, the limit.' } });
    expect(sent).toBeLessThanOrEqual(LIMITS.http.predictBodyBytes + 2 * MiB);
  });

  it('answers 400 when the client breaks off mid-body', async () => {
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    expect(await answer(await post(broken))).toEqual({ status: 400, body: { error: 'The request body could not be read.' } });
  });
});

describe('prediction API: any body gets an answer or a 4xx refusal', () => {
  const field = fc.constantFrom('spend', 'visits', 'region', 'member', 'bought', 'other', 'toString', '__proto__');
  const value = fc.oneof(fc.jsonValue(), fc.double(), fc.boolean(), fc.constant(undefined), fc.string(), fc.constantFrom('12', ' 3.5 ', '1e400', 'TRUE', 'north', ''));
  const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('12', ' 3.5 ', '-1e2', null));
  // Mostly well-typed rows, so that the scoring itself runs, not only the checks in front of it.
  const wellTyped = fc.record({
    spend: number,
    visits: number,
    region: fc.oneof(fc.string(), fc.integer(), fc.constantFrom('north', 'south', null)),
    member: fc.oneof(fc.boolean(), fc.constantFrom('TRUE', 'FALSE', 'maybe')),
  });
  const row = fc.oneof({ weight: 6, arbitrary: wellTyped }, { weight: 3, arbitrary: fc.dictionary(field, value) }, { weight: 1, arbitrary: fc.anything() });
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.record({ rows: fc.array(row, { minLength: 1, maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.record({ rows: fc.anything() }) },
    { weight: 1, arbitrary: fc.jsonValue() },
    {
      weight: 1,
      arbitrary: fc.anything({ withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withBigInt: true }),
    },
  );
  const rightToken = 'the endpoint token';
  const authorization = fc.oneof({ weight: 4, arbitrary: fc.constant(rightToken) }, { weight: 1, arbitrary: fc.option(fc.string()) }) as fc.Arbitrary<string | null>;

  property.prop([body, authorization], { numRuns: FUZZ_RUNS })('never throws anything but an EndpointError with 400, 401, 404 or 413', async (request, header) => {
    let outcome: Awaited<ReturnType<typeof predictWithEndpoint>>;
    try {
      outcome = await predictWithEndpoint(db, endpoint.id, header === rightToken ? auth : header, request);
    } catch (error) {
      expect(error).toBeInstanceOf(EndpointError);
      expect([400, 401, 404, 413]).toContain((error as EndpointError).status);
      return;
    }
    expect(outcome.predictions).toHaveLength((request as { rows: unknown[] }).rows.length);
  });

  property.prop([fc.json(), fc.string()], { numRuns: FUZZ_RUNS })('any JSON text through the route gets a 200 or a 4xx answer', async (json, id) => {
    const response = await POST(new Request('http://localhost/api/predict/x', { method: 'POST', body: json, headers: { authorization: auth } }), {
      params: Promise.resolve({ id: id.length % 2 ? id : endpoint.id }),
    });
    expect([200, 400, 401, 404, 413]).toContain(response.status);
  });
});
