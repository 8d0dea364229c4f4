import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ImageItem } from './types';
import { decodeImages, pixelBlockImage, pixelsToPngDataUrl, prepareImages } from './decode';

const BAG = new Uint8Array(readFileSync('samples/fashion-products/bag/0001.png'));

async function rawImage(pixels: number[], width: number, height: number, channels: 1 | 2 | 3 | 4): Promise<Uint8Array> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels } }).png().toBuffer();
}

const item = (name: string, bytes: Uint8Array): ImageItem => ({ name, label: 'x', bytes });

describe('decodeImages', () => {
  it('decodes grayscale PNGs to one channel and keeps item order', async () => {
    const junk = new TextEncoder().encode('not an image at all');
    const { decoded, failed } = await decodeImages([item('a', BAG), item('broken.png', junk), item('c', BAG)]);
    expect(decoded.map((d) => [d.index, d.width, d.height, d.channels, d.pixels.length])).toEqual([
      [0, 28, 28, 1, 784],
      [2, 28, 28, 1, 784],
    ]);
    expect(failed).toEqual([{ name: 'broken.png', reason: 'not a PNG or JPEG image' }]);
  });

  it('flattens transparency onto white and turns other colour spaces into RGB', async () => {
    const rgba = await rawImage([255, 0, 0, 255, 0, 0, 255, 0], 2, 1, 4);
    const cmyk = await sharp(Buffer.alloc(4 * 4 * 3, 90), { raw: { width: 4, height: 4, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const { decoded, failed } = await decodeImages([item('rgba', rgba), item('cmyk', cmyk)], { concurrency: 1 });
    expect(failed).toEqual([]);
    expect(decoded[0]).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...decoded[0].pixels]).toEqual([255, 0, 0, 255, 255, 255]);
    expect(decoded[1]).toMatchObject({ width: 4, height: 4, channels: 3 });
  });

  it('keeps grayscale-with-alpha photos as one channel', async () => {
    const greyAlpha = await sharp(Buffer.from([0, 0]), { raw: { width: 2, height: 1, channels: 1 } })
      .joinChannel(Buffer.from([255, 0]), { raw: { width: 2, height: 1, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(greyAlpha).metadata()).channels).toBe(2);
    const { decoded } = await decodeImages([item('ga', greyAlpha)]);
    expect(decoded[0].channels).toBe(1);
    expect([...decoded[0].pixels]).toEqual([0, 255]);
  });

  it('reports truncated files instead of throwing', async () => {
    const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 120), { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    const { decoded, failed } = await decodeImages([item('cut.jpg', jpeg.subarray(0, 40)), item('empty.png', new Uint8Array(0))]);
    expect(decoded).toEqual([]);
    expect(failed.map((f) => f.name)).toEqual(['cut.jpg', 'empty.png']);
  });
});

describe('prepareImages', () => {
  it('resizes, converts colour and scales into one block, skipping unreadable photos', async () => {
    const junk = new Uint8Array([1, 2, 3]);
    const { block, kept, failed } = await prepareImages([item('bad', junk), item('bag', BAG), item('bag2', BAG)], {
      size: 14,
      color: 'rgb',
      scale: true,
      denoise: 'none',
    });
    expect(kept).toEqual([1, 2]);
    expect(failed.map((f) => f.name)).toEqual(['bad']);
    expect(block).toMatchObject({ count: 2, height: 14, width: 14, channels: 3 });
    expect(block.data).toHaveLength(2 * 14 * 14 * 3);
    const first = pixelBlockImage(block, 0);
    expect(Math.max(...first)).toBeLessThanOrEqual(1);
    expect(Math.max(...first)).toBeGreaterThan(0.5);
    expect(first[30]).toBe(first[31]);
    expect([...pixelBlockImage(block, 1)]).toEqual([...first]);
  });

  it('keeps 0–255 values at the original size when not scaling', async () => {
    const { block } = await prepareImages([item('bag', BAG)], { size: 28, color: 'grayscale', scale: false, denoise: 'none' });
    const { data } = await sharp(BAG).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect([...block.data]).toEqual([...data]);
  });

  it('median denoising removes an isolated speck and gaussian softens it', async () => {
    const pixels = new Array(9 * 9).fill(0);
    pixels[4 * 9 + 4] = 255;
    const speck = await rawImage(pixels, 9, 9, 1);
    const prep = { size: 9, color: 'grayscale' as const, scale: false };
    const none = await prepareImages([item('s', speck)], { ...prep, denoise: 'none' });
    const median = await prepareImages([item('s', speck)], { ...prep, denoise: 'median' });
    const gaussian = await prepareImages([item('s', speck)], { ...prep, denoise: 'gaussian' });
    expect(none.block.data[40]).toBe(255);
    expect(median.block.data[40]).toBe(0);
    expect(gaussian.block.data[40]).toBeLessThan(255);
    expect(gaussian.block.data[40]).toBeGreaterThan(0);
    expect(gaussian.block.data[41]).toBeGreaterThan(0);
  });

  it('refuses nonsensical sizes in plain words', async () => {
    await expect(prepareImages([item('bag', BAG)], { size: 0, color: 'rgb', scale: true, denoise: 'none' })).rejects.toThrow(
      /whole number of pixels/,
    );
  });
});

describe('pixelsToPngDataUrl', () => {
  it('encodes scaled values and enlarges with nearest-neighbour', async () => {
    const url = await pixelsToPngDataUrl(new Float32Array([0, 0.5, 1, 0.25]), 2, 2, 1, 1, 4);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
    expect((await sharp(png).metadata()).channels).toBe(1);
    const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([4, 4, 1]);
    expect([...data.subarray(0, 4)]).toEqual([0, 0, 128, 128]);
    expect([...data.subarray(12, 16)]).toEqual([255, 255, 64, 64]);
  });

  it('keeps RGB images at their size without displaySize', async () => {
    const url = await pixelsToPngDataUrl(new Uint8Array([255, 0, 0]), 1, 1, 3, 255);
    const png = Buffer.from(url.split(',')[1], 'base64');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data]).toEqual([255, 0, 0]);
  });
});
