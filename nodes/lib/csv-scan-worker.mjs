// A thread that reads one part of a large plain CSV (see csv-file.ts): it scans the rows it is given and
// sends back its columns, their arrays moved rather than copied, or null when the part is not plain.
import { parentPort } from 'node:worker_threads';
import { scanFileRange, transferablesOf } from './csv-scan.mjs';

parentPort.once('message', (job) => {
  const part = scanFileRange(job);
  parentPort.postMessage(part, part ? transferablesOf(part) : []);
});
