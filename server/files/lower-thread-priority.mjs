// Lowers the scheduling priority of the calling thread, for threads that do long background work (checking an
// uploaded file) beside the thread that answers requests. Plain JavaScript, so a thread can call it first,
// before it loads anything else.
import os from 'node:os';

/**
 * The nice value of a checking thread: 10 gives it about a tenth of the weight of a thread at 0 in the
 * scheduler, so when the thread answering requests wakes up for a request it takes the core at once, and
 * the check still has all the CPU that nobody else wants.
 */
export const BACKGROUND_NICE = 10;

/**
 * On Linux a nice value belongs to one thread: setpriority(PRIO_PROCESS, 0) (os.setPriority(0, ...)) changes
 * only the calling thread, and threads it starts afterwards inherit it (the parts of a large CSV read in
 * parallel, csv-scan-worker.mjs). Elsewhere (macOS, Windows) the same call changes the whole process,
 * the thread answering requests included, so it is not made there. Answers whether the priority was lowered.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE) {
  if (process.platform !== 'linux') return false;
  try {
    // Never raises a priority (that needs privileges): a thread already nicer stays as it is.
    if (os.getPriority(0) >= nice) return true;
    os.setPriority(0, nice);
    return true;
  } catch {
    // A sandbox that forbids it: the check runs at the same priority as before.
    return false;
  }
}
