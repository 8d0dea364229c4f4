import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getRun, listRuns } from '../../db/runs';
import { makeWorkspace, openTestDatabase } from '../../db/test-fixtures';
import { ServiceError } from '../errors';
import { RunQueue } from '../queue/run-queue';
import { findTemplate } from '../templates';
import { enqueueRun } from './dispatch';

describe('a team server whose Redis cannot be reached', () => {
  it('records the run as failed with the reason and answers 503 at once, instead of hanging', async () => {
    const db = await openTestDatabase();
    const { workspaceId, userId } = await makeWorkspace(db);
    // Nothing listens on port 1.
    const queue = new RunQueue({ redisUrl: 'redis://127.0.0.1:1', queueName: `pipelab-test-${randomUUID()}` });
    const input = { graph: findTemplate('sales-forecast')!.graph, pipelineId: null, label: 'Forecast', origin: 'ui' as const, workspaceId, startedBy: userId };
    const started = Date.now();
    const refusal = await enqueueRun(db, queue, input).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceError);
    expect(refusal).toMatchObject({ status: 503, message: expect.stringMatching(/^The run queue \(Redis\) could not be reached, so nothing was trained/) });
    expect(Date.now() - started).toBeLessThan(15_000);
    const [recorded] = await listRuns(db, { workspaceId, limit: 1 });
    expect(await getRun(db, recorded.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be reached') });
    await queue.close().catch(() => undefined);
  }, 30_000);
});
