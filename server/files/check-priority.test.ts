import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '../../nodes/test-harness';
import { checkInWorker, closeCheckPool } from './check-pool';
import { BACKGROUND_NICE } from './lower-thread-priority.mjs';

/** Nice value of one of this process's threads, from /proc (a thread that has just ended answers null). */
function niceOf(task: string): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null;
  }
}
const threadsAt = (nice: number) => fs.readdirSync('/proc/self/task').filter((task) => niceOf(task) === nice);
const thisThread = () => path.basename(fs.readlinkSync('/proc/thread-self'));

afterAll(closeCheckPool);

// Nice values are per thread only on Linux; elsewhere the priority is left alone (lower-thread-priority.mjs).
describe.runIf(process.platform === 'linux')('uploads are checked at a lower priority than requests are answered', () => {
  it('checks a table in a thread of lower priority, which still answers with the line at fault', async () => {
    await useTempDataDir();
    const dir = fs.mkdtempSync(path.join(process.env.PIPELAB_DATA_DIR!, 'incoming-'));
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'age,income,bought\n31,52000,yes\n45,61000,no\n27,38000,yes\n');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'age,income,bought\n31,52000,yes\n45,61000,no\n27,lots,yes\n52,70000,no\n');
    const niceBefore = niceOf(thisThread());

    const checked = await checkInWorker({ kind: 'dataset', path: good, name: 'good.csv', hash: 'a'.repeat(64) });
    expect(checked).toMatchObject({ kind: 'dataset', facts: { rowCount: 3 } });
    await expect(checkInWorker({ kind: 'dataset', path: bad, name: 'bad.csv', hash: 'b'.repeat(64) })).rejects.toThrow(
      'bad.csv: Column "income" holds numbers, but line 4 has "lots"',
    );

    // The checking threads stay in the pool for a while after their checks: they run at the lower priority,
    // the thread that asked (as the one answering requests) at its own.
    expect(threadsAt(BACKGROUND_NICE).length).toBeGreaterThan(0);
    expect(threadsAt(BACKGROUND_NICE)).not.toContain(thisThread());
    expect(niceOf(thisThread())).toBe(niceBefore);
  });

  it('lowers only the calling thread, and threads it starts inherit the lower priority', async () => {
    const source = `
      const { Worker, parentPort, workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const nice = () => Number(fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]);
      if (workerData.inner) parentPort.postMessage({ inner: nice() });
      else import(workerData.module).then(({ lowerThisThreadPriority }) => {
        const lowered = lowerThisThreadPriority();
        const inner = new Worker(workerData.source, { eval: true, workerData: { inner: true, source: workerData.source } });
        inner.once('message', ({ inner: innerNice }) => parentPort.postMessage({ lowered, outer: nice(), inner: innerNice }));
      });`;
    const module = new URL('./lower-thread-priority.mjs', import.meta.url).href;
    const niceBefore = niceOf(thisThread());
    const worker = new Worker(source, { eval: true, workerData: { module, source } });
    const answer = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(answer).toEqual({ lowered: true, outer: BACKGROUND_NICE, inner: BACKGROUND_NICE });
    expect(niceOf(thisThread())).toBe(niceBefore);
  });
});
