/**
 * Times reading, decoding and preparing images:
 *   npx tsx scripts/bench-images.ts [--photos 500] [--concurrency 4]
 *
 * (a) the fashion-products sample folder (28×28 grayscale PNGs): read from disk, decode only,
 *     prepare at 28 grayscale and at 64 RGB, then HOG features of the 28 px block;
 * (b) generated 640×480 JPEG photos (noise over colour gradients, made in memory, not timed):
 *     decode only, and prepare at 64 RGB with 1, 2 and the chosen number of photos in flight.
 * Prints a markdown table of images per second and total milliseconds.
 */
import os from 'node:os';
import sharp from 'sharp';
import type { ImageItem, ImagePreparation } from '../nodes/values';
import { readImageFolder } from '../models/images/archive';
import { decodeImages, prepareImages } from '../models/images/decode';
import { hogFeatures } from '../models/images/features';
import { seededRandom } from '../models/images/augment';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const PHOTOS = Number(arg('photos', '500'));
const CONCURRENCY = Number(arg('concurrency', '4'));
const GRAY28: ImagePreparation = { size: 28, color: 'grayscale', scale: true, denoise: 'none' };
const RGB64: ImagePreparation = { size: 64, color: 'rgb', scale: true, denoise: 'none' };

interface Row {
  set: string;
  step: string;
  images: number;
  ms: number;
}

const rows: Row[] = [];

async function time<T>(set: string, step: string, images: number, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const result = await work();
  rows.push({ set, step, images, ms: performance.now() - start });
  return result;
}

async function makePhotos(count: number): Promise<ImageItem[]> {
  const width = 640;
  const height = 480;
  const random = seededRandom(7);
  const photos: ImageItem[] = [];
  for (let n = 0; n < count; n++) {
    const pixels = Buffer.alloc(width * height * 3);
    const tint = [random() * 255, random() * 255, random() * 255];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        const noise = (random() - 0.5) * 60;
        pixels[i] = Math.max(0, Math.min(255, (x / width) * tint[0] + noise));
        pixels[i + 1] = Math.max(0, Math.min(255, (y / height) * tint[1] + noise));
        pixels[i + 2] = Math.max(0, Math.min(255, tint[2] * 0.5 + noise));
      }
    }
    const bytes = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
    photos.push({ name: `photo/${n}.jpg`, label: n % 2 ? 'a' : 'b', bytes });
  }
  return photos;
}

async function benchSample(): Promise<void> {
  const set = 'fashion sample (28×28 PNG)';
  await decodeImages((await readImageFolder('samples/fashion-products')).items.slice(0, 20));
  const { items } = await time(set, 'read folder', 0, () => readImageFolder('samples/fashion-products'));
  rows[rows.length - 1].images = items.length;
  await time(set, `decode only (${CONCURRENCY} in flight)`, items.length, () => decodeImages(items, { concurrency: CONCURRENCY }));
  const { block } = await time(set, 'prepare 28 grayscale', items.length, () => prepareImages(items, GRAY28, { concurrency: CONCURRENCY }));
  await time(set, 'prepare 64 RGB', items.length, () => prepareImages(items, RGB64, { concurrency: CONCURRENCY }));
  await time(set, 'HOG features (28 px, cell 4, 9 bins)', block.count, () => hogFeatures(block, { cellSize: 4, orientations: 9 }, 1));
}

async function benchPhotos(): Promise<void> {
  const set = `${PHOTOS} photos (640×480 JPEG)`;
  const photos = await makePhotos(PHOTOS);
  const megabytes = photos.reduce((sum, p) => sum + p.bytes.length, 0) / 1024 / 1024;
  console.log(`Generated ${PHOTOS} JPEG photos, ${megabytes.toFixed(1)} MB in all.`);
  await time(set, `decode only (${CONCURRENCY} in flight)`, PHOTOS, () => decodeImages(photos, { concurrency: CONCURRENCY }));
  const levels = [...new Set([1, 2, CONCURRENCY])].sort((a, b) => a - b);
  for (const concurrency of levels) {
    await time(set, `prepare 64 RGB (${concurrency} in flight)`, PHOTOS, () => prepareImages(photos, RGB64, { concurrency }));
  }
}

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs, sharp ${sharp.versions.sharp}, libvips threads ${sharp.concurrency()}`);
  await benchSample();
  await benchPhotos();
  console.log('\n| images | step | count | images/s | ms total |');
  console.log('|---|---|---:|---:|---:|');
  for (const row of rows) {
    const rate = row.images / (row.ms / 1000);
    console.log(`| ${row.set} | ${row.step} | ${row.images} | ${rate.toFixed(0)} | ${row.ms.toFixed(0)} |`);
  }
}

await main();
