// Loaded into a server for a benchmark (NODE_OPTIONS="--require ./scripts/main-thread-delays.cjs"), never by the
// product: once a second, appends to $PIPELAB_DELAY_LOG how late the thread answering requests was, and its garbage
// collection pauses, so a slow answer can be told apart as the thread's own work (a long synchronous step, a GC
// pause) or a thread waiting for a core (see scripts/bench-upload-responsiveness.ts).
// Line: process id, epoch ms, event-loop delay max / p99 (ms), GC pauses that second: count, longest (ms), total (ms),
// and the longest one's kind (minor: a young-generation scavenge; major: mark-compact; incremental; weakcb).
const { isMainThread } = require('node:worker_threads');
const { monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');
const fs = require('node:fs');

const log = process.env.PIPELAB_DELAY_LOG;
if (isMainThread && log) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcCount = 0;
  let gcLongest = 0;
  let gcTotal = 0;
  let gcLongestKind = '-';
  const { constants } = require('node:perf_hooks');
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcTotal += entry.duration;
      if (entry.duration > gcLongest) gcLongestKind = kinds[entry.detail?.kind] ?? String(entry.detail?.kind);
      gcLongest = Math.max(gcLongest, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const ms = (ns) => (ns / 1e6).toFixed(1);
    fs.appendFileSync(log, `${process.pid} ${Date.now()} ${ms(delay.max)} ${ms(delay.percentile(99))} ${gcCount} ${gcLongest.toFixed(1)} ${gcTotal.toFixed(1)} ${gcLongestKind}\n`);
    delay.reset();
    gcCount = gcLongest = gcTotal = 0;
    gcLongestKind = '-';
  }, 1000).unref();
}
