import { tensorFlowReady, type BackendName } from '../nodes/lib/tf-backends';

export type { BackendName };

/**
 * Picks the fastest TensorFlow.js backend that loads here (PIPELAB_BACKEND forces one), starts it, and returns
 * a name for people, e.g. "wasm" or "tensorflow (native)". Runs do not call this: their steps start it when
 * they need it (nodes/lib/tf-backends.ts); scripts and the photo endpoints do, before they compute.
 */
export function initBackend(forced = process.env.PIPELAB_BACKEND): Promise<string> {
  return tensorFlowReady(forced);
}

let serving: Promise<string | null> | null = null;

/**
 * The same backend for the web server, which scores photos with networks in its own process. The WebAssembly
 * module's start-up adds process handlers that rethrow any uncaught exception or unhandled promise rejection,
 * which would end the server for a fault that Next would otherwise log and survive; they are removed again.
 * A backend that cannot start leaves TensorFlow.js on its plain JavaScript one (slower, same answers), said once
 * in the log. Resolves to the backend's name, or null in that case.
 */
export function initServingBackend(): Promise<string | null> {
  serving ??= (async () => {
    const events = ['uncaughtException', 'unhandledRejection'];
    // Typed as a plain emitter: Node's overloads of listeners() take one event name literal at a time.
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    try {
      return await initBackend();
    } catch (error) {
      console.error(`Photo models are scored on TensorFlow.js's JavaScript backend: ${(error as Error).message}`);
      return null;
    } finally {
      for (const event of events) {
        for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  })();
  return serving;
}
