import { describe, expect, it } from 'vitest';
import type { AugmentationSpec } from './types';
import { augmentBatch, seededRandom } from './augment';

const NONE: AugmentationSpec = { flip: false, rotation: 0, shift: 0, brightness: 0 };

/** count images of size×size×channels with distinct, position-dependent values. */
function pattern(count: number, size: number, channels: number): Float32Array {
  const data = new Float32Array(count * size * size * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  return data;
}

const constant = (value: number) => () => value;

describe('augmentBatch', () => {
  it('leaves images untouched when every change is off', () => {
    const data = pattern(3, 6, 3);
    const before = data.slice();
    let draws = 0;
    augmentBatch(data, 3, 6, 6, 3, NONE, () => (draws++, 0.9), 255);
    expect(data).toEqual(before);
    expect(draws).toBe(0);
  });

  it('is the identity when the drawn rotation and shift are zero', () => {
    const data = pattern(2, 5, 1);
    const before = data.slice();
    augmentBatch(data, 2, 5, 5, 1, { flip: false, rotation: 30, shift: 0.2, brightness: 0 }, constant(0.5), 255);
    expect(data).toEqual(before);
  });

  it('mirrors left to right, and flipping twice restores the image', () => {
    const data = pattern(1, 4, 3);
    const before = data.slice();
    const spec = { ...NONE, flip: true };
    augmentBatch(data, 1, 4, 4, 3, spec, constant(0.1), 255);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 3; c++) expect(data[(y * 4 + x) * 3 + c]).toBe(before[(y * 4 + 3 - x) * 3 + c]);
      }
    }
    augmentBatch(data, 1, 4, 4, 3, spec, constant(0.1), 255);
    expect(data).toEqual(before);
    augmentBatch(data, 1, 4, 4, 3, spec, constant(0.7), 255);
    expect(data).toEqual(before);
  });

  it('moves content right and down by the drawn shift, repeating border pixels', () => {
    const size = 8;
    const data = new Float32Array(size * size);
    data[3 * size + 2] = 200;
    augmentBatch(data, 1, size, size, 1, { ...NONE, shift: 0.25 }, () => 1, 255);
    expect(data[5 * size + 4]).toBeCloseTo(200, 4);
    expect(data.reduce((a, b) => a + b, 0)).toBeCloseTo(200, 4);

    const ramp = Float32Array.from({ length: size * size }, (_, i) => i % size);
    augmentBatch(ramp, 1, size, size, 1, { ...NONE, shift: 0.25 }, () => 1, 255);
    expect([...ramp.subarray(0, size)]).toEqual([0, 0, 0, 1, 2, 3, 4, 5]);
  });

  it('rotates a quarter turn about the centre', () => {
    const size = 5;
    const data = new Float32Array(size * size);
    data[0 * size + 2] = 100;
    augmentBatch(data, 1, size, size, 1, { ...NONE, rotation: 90 }, () => 1, 255);
    expect(data[2 * size + 4]).toBeCloseTo(100, 6);
    expect(data.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
  });

  it('keeps every image in its own row', () => {
    const count = 6;
    const size = 10;
    const data = new Float32Array(count * size * size);
    for (let i = 0; i < count; i++) {
      for (let p = 0; p < size * size; p++) data[i * size * size + p] = 30 * i + 10 + ((p * 7) % 5);
    }
    augmentBatch(data, count, size, size, 1, { flip: true, rotation: 25, shift: 0, brightness: 0 }, seededRandom(3), 255);
    for (let i = 0; i < count; i++) {
      const image = data.subarray(i * size * size, (i + 1) * size * size);
      const mean = image.reduce((a, b) => a + b, 0) / image.length;
      expect(Math.abs(mean - (30 * i + 12))).toBeLessThan(1);
    }
  });

  it('changes brightness within the range and clamps to the valid values', () => {
    const data = Float32Array.from([0, 0.5, 1, 0.95]);
    augmentBatch(data, 1, 2, 2, 1, { ...NONE, brightness: 0.1 }, () => 1, 1);
    expect([...data].map((v) => Number(v.toFixed(5)))).toEqual([0.1, 0.6, 1, 1]);
    const random = seededRandom(9);
    const many = new Float32Array(200 * 4).fill(0.5);
    augmentBatch(many, 200, 2, 2, 1, { ...NONE, brightness: 0.2 }, random, 1);
    expect(Math.min(...many)).toBeGreaterThanOrEqual(0.3 - 1e-6);
    expect(Math.max(...many)).toBeLessThanOrEqual(0.7 + 1e-6);
  });

  it('refuses a batch shorter than its stated size', () => {
    expect(() => augmentBatch(new Float32Array(3), 1, 2, 2, 1, NONE, Math.random, 1)).toThrow(/fewer than 1 images/);
  });
});
