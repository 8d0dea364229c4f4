/** Waiting on something that may never answer (Redis or a client gone away), for a bounded time. */

function expiring<T>(ms: number, settle: (resolve: (value: T) => void, reject: (error: Error) => void) => void) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => settle(resolve, reject), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
}

/** Waits for `work`, or `ms` at most; a failure of `work` counts as done. */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  const { expired, clear } = expiring<void>(ms, (resolve) => resolve());
  try {
    await Promise.race([work.then(() => undefined, () => undefined), expired]);
  } finally {
    clear();
  }
}

/** `work`'s result, or a rejection saying it gave no answer within `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const { expired, clear } = expiring<T>(ms, (_, reject) => reject(new Error(`no answer within ${ms / 1000} s`)));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clear();
  }
}
