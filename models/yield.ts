/**
 * Long fits pause now and then so cancellation and progress messages get through. Pausing on every
 * step would cost ~1 ms each (timers are not faster), more than a whole small fit, so it pauses only
 * once `intervalMs` has passed, and with setImmediate.
 */
export function createYielder(intervalMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}
