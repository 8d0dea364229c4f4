import * as tf from '@tensorflow/tfjs';
import { startBackend, type BackendName } from '../nodes/lib/tf-backends';

export type { BackendName };

/** Order of preference: native GPU, native CPU, WebAssembly, plain JavaScript. */
const PREFERENCE: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let selected: string | null = null;

/**
 * Picks the fastest TensorFlow.js backend that loads here (PIPELAB_BACKEND forces one) and returns
 * a name for people, e.g. "wasm" or "tensorflow (native)".
 */
export async function initBackend(forced = process.env.PIPELAB_BACKEND): Promise<string> {
  if (selected) return selected;
  if (forced && !PREFERENCE.includes(forced as BackendName)) {
    throw new Error(`"${forced}" is not a TensorFlow.js backend Pipelab knows; use one of ${PREFERENCE.join(', ')}.`);
  }
  const candidates = forced ? [forced as BackendName] : PREFERENCE;
  for (const name of candidates) {
    if (await startBackend(name)) {
      await tf.ready();
      selected = name === 'tensorflow-gpu' ? 'tensorflow-gpu (native)' : name === 'tensorflow' ? 'tensorflow (native)' : name;
      return selected;
    }
  }
  throw new Error(
    forced
      ? `The TensorFlow.js backend "${forced}" (--backend or PIPELAB_BACKEND) could not start here; use one of ${PREFERENCE.join(', ')}, or leave it out to use the fastest one that starts.`
      : 'No TensorFlow.js backend could start.',
  );
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
