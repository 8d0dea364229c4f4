import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { ImageArchiveError, readImageArchive, scanImageArchive } from './archive';
import { buildZip } from './test-zip';

/**
 * Whatever bytes are uploaded, both zip readers must answer with a result or an ImageArchiveError
 * the user can read: never another error type, never a hang. FUZZ_RUNS raises the runs for a longer hunt.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 200);
/** Far above what any of these small zips needs; only a hang reaches it. */
const HANG_MS = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'pipelab-archive-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (value: string) => new TextEncoder().encode(value);
const photoBytes = (seed: number) => Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + seed * 7) % 251);

/** Small but varied: deflated and stored photos, a folder, a link, a non-photo and a compressible file. */
const SEED_ZIP = buildZip([
  { name: 'photos/' },
  { name: 'photos/cat/1.png', data: photoBytes(1) },
  { name: 'photos/cat/2.jpg', data: photoBytes(2), method: 0 },
  { name: 'photos/dog/1.png', data: photoBytes(3) },
  { name: 'photos/dog/2.jpeg', data: text('x'.repeat(2000)) },
  { name: 'photos/dog/link.png', data: text('/etc/passwd'), unixMode: 0o120777 },
  { name: 'photos/readme.txt', data: text('labels are folders') },
]);

const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function offsetsOf(zip: Buffer, signature: number): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) if (zip.readUInt32LE(i) === signature) found.push(i);
  return found;
}

const centralHeaders = offsetsOf(SEED_ZIP, CENTRAL_HEADER);
const localHeaders = offsetsOf(SEED_ZIP, LOCAL_HEADER);

let counter = 0;
function writeZip(bytes: Uint8Array): string {
  const path = join(dir, `fuzz-${counter++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    await Promise.race([promise, hang]);
    return null;
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

/** Both readers answer, with the same verdict, and any refusal is an ImageArchiveError. */
async function expectCleanAnswer(bytes: Uint8Array): Promise<void> {
  const path = writeZip(bytes);
  const [read, scan] = await Promise.all([outcome(readImageArchive(path)), outcome(scanImageArchive(path))]);
  for (const error of [read, scan]) {
    if (error !== null && !(error instanceof ImageArchiveError)) throw error;
  }
  expect((scan as Error | null)?.message).toBe((read as Error | null)?.message);
  rmSync(path);
}

describe('zip readers facing damaged or hostile bytes', () => {
  it('accept the unmodified seed zip', async () => {
    const scan = await scanImageArchive(writeZip(SEED_ZIP));
    expect(scan.classes).toEqual([
      { label: 'cat', count: 2 },
      { label: 'dog', count: 2 },
    ]);
  });

  it.prop([fc.uint8Array({ maxLength: 4096 })], { numRuns: runs })('random bytes', async (bytes) => {
    await expectCleanAnswer(bytes);
  });

  it.prop([fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 24 })], {
    numRuns: runs,
  })('bytes of a valid zip overwritten', async (flips) => {
    const zip = Buffer.from(SEED_ZIP);
    for (const { at, value } of flips) zip[at % zip.length] = value;
    await expectCleanAnswer(zip);
  });

  it.prop([fc.nat()], { numRuns: runs })('a valid zip cut short', async (cut) => {
    await expectCleanAnswer(SEED_ZIP.subarray(0, cut % SEED_ZIP.length));
  });

  const sizeField = fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 64 * 1024), fc.nat({ max: 5000 }), fc.nat({ max: 0xffffffff }));
  const header = fc.nat({ max: centralHeaders.length - 1 });
  it.prop([fc.array(fc.tuple(header, fc.constantFrom(20, 24), sizeField), { minLength: 1, maxLength: 8 }), fc.boolean()], {
    numRuns: runs,
  })('random sizes in the central directory (and the local headers)', async (changes, alsoLocal) => {
    const zip = Buffer.from(SEED_ZIP);
    for (const [index, field, size] of changes) {
      zip.writeUInt32LE(size, centralHeaders[index] + field);
      // Local headers keep sizes 4 bytes earlier (18 and 22) than central headers (20 and 24).
      if (alsoLocal) zip.writeUInt32LE(size, localHeaders[index] + field - 2);
    }
    await expectCleanAnswer(zip);
  });

  it.prop([fc.nat({ max: centralHeaders.length - 1 }), fc.nat({ max: 0xffffffff }), fc.constantFrom(8, 10, 42)], {
    numRuns: runs,
  })('random flags, methods and offsets in the central directory', async (index, value, field) => {
    const zip = Buffer.from(SEED_ZIP);
    const at = centralHeaders[index] + field;
    if (field === 42) zip.writeUInt32LE(value, at);
    else zip.writeUInt16LE(value & 0xffff, at);
    await expectCleanAnswer(zip);
  });
});
