import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { initServingBackend } from './tf-backend';

it('starts the fastest backend for the web server without leaving handlers that would end it on a stray rejection', async () => {
  const rejections = process.listeners('unhandledRejection');
  const exceptions = process.listeners('uncaughtException');
  const name = await initServingBackend();
  expect(name).not.toBeNull();
  expect(tf.getBackend()).not.toBe('cpu');
  // The WebAssembly module adds one of each while it starts (its Emscripten glue rethrows from them).
  expect(process.listeners('unhandledRejection')).toEqual(rejections);
  expect(process.listeners('uncaughtException')).toEqual(exceptions);
  // Once started, it is not started again.
  expect(await initServingBackend()).toBe(name);
});
