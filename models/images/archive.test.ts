import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import yauzl from 'yauzl';
import { MiB } from '../limits';
import {
  type ArchiveLimits,
  checkClasses,
  ImageArchiveError,
  labelCounts,
  readImageArchive,
  readImageFolder,
  scanImageArchive,
} from './archive';
import { buildZip, type TestZipEntry } from './test-zip';

const dir = mkdtempSync(join(tmpdir(), 'pipelab-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function writeZip(entries: TestZipEntry[] | Buffer): string {
  const path = join(dir, `test-${counter++}.zip`);
  writeFileSync(path, Buffer.isBuffer(entries) ? entries : buildZip(entries));
  return path;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const photo = (name: string): TestZipEntry => ({ name, data: bytes(`image ${name}`) });

/** The reader and the scanner must refuse the same zips in the same words. */
async function archiveError(path: string, limits: Partial<ArchiveLimits> = {}): Promise<ImageArchiveError> {
  const [read, scan] = await Promise.all(
    [readImageArchive(path, limits), scanImageArchive(path, limits)].map((result) =>
      result.then(
        () => null,
        (e: unknown) => e,
      ),
    ),
  );
  expect(read).toBeInstanceOf(ImageArchiveError);
  expect(scan).toBeInstanceOf(ImageArchiveError);
  expect((scan as Error).message).toBe((read as Error).message);
  return read as ImageArchiveError;
}

/** Refuses like archiveError, and proves the refusal came from the central directory alone. */
async function refusedBeforeUnpacking(path: string, limits: Partial<ArchiveLimits> = {}): Promise<string> {
  const unpack = vi.spyOn(yauzl.ZipFile.prototype, 'openReadStream');
  try {
    const { message } = await archiveError(path, limits);
    expect(unpack).not.toHaveBeenCalled();
    return message;
  } finally {
    unpack.mockRestore();
  }
}

/** Bytes that do not compress, like real photos; seeded so runs repeat. */
function noise(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

describe('readImageArchive', () => {
  it('labels photos by their first folder below a shared root and explains what it skipped', async () => {
    const path = writeZip([
      { name: 'photos/' },
      photo('photos/sneaker/1.png'),
      photo('photos/sneaker/white/2.JPG'),
      photo('photos/sandal/1.jpeg'),
      photo('photos/sandal/2.png'),
      photo('photos/loose.png'),
      photo('photos/sandal/notes.txt'),
      photo('photos/sandal/.DS_Store'),
      photo('__MACOSX/photos/sneaker/._1.png'),
    ]);
    const result = await readImageArchive(path);
    expect(result.items.map((i) => [i.name, i.label])).toEqual([
      ['photos/sandal/1.jpeg', 'sandal'],
      ['photos/sandal/2.png', 'sandal'],
      ['photos/sneaker/1.png', 'sneaker'],
      ['photos/sneaker/white/2.JPG', 'sneaker'],
    ]);
    expect(new TextDecoder().decode(result.items[0].bytes)).toBe('image photos/sandal/1.jpeg');
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/1 photo sits directly in the top folder.*photos\/loose\.png/);
    expect(result.warnings[1]).toMatch(/1 file is not a PNG or JPEG photo.*notes\.txt/);
  });

  it('keeps a lone top folder of photos as a label and says two labels are needed', async () => {
    const error = await archiveError(writeZip([photo('sneaker/1.png'), photo('sneaker/2.png')]));
    expect(error.message).toMatch(/at least two labelled folders.*found only "sneaker"/);
  });

  it.each(['../evil.png', 'cats/../../evil.png', '..\\evil.png', '/etc/evil.png', 'C:\\evil.png'])(
    'refuses the entry %s that tries to leave the folder',
    async (name) => {
      const error = await archiveError(writeZip([photo('a/1.png'), photo(name)]));
      expect(error.message).toMatch(/tries to leave the folder \(.*evil\.png\)/);
    },
  );

  it('skips symbolic links with a warning', async () => {
    const path = writeZip([
      photo('a/1.png'),
      photo('a/2.png'),
      photo('b/1.png'),
      photo('b/2.png'),
      { name: 'b/link.png', data: bytes('/etc/passwd'), unixMode: 0o120777 },
    ]);
    const result = await readImageArchive(path);
    expect(result.items.map((i) => i.name)).not.toContain('b/link.png');
    expect(result.warnings).toEqual([expect.stringMatching(/1 shortcut \(symbolic link\) was skipped.*b\/link\.png/)]);
  });

  it('stops when a file unpacks to more bytes than it declares', async () => {
    const path = writeZip([
      photo('a/1.png'),
      photo('b/1.png'),
      { name: 'a/2.png', data: new Uint8Array(5000).fill(7), declaredSize: 100 },
    ]);
    expect((await archiveError(path)).message).toMatch(/"a\/2\.png" unpacks to more data than the zip says/);
  });

  it('says plainly when the file is not a zip or is cut off', async () => {
    const notZip = join(dir, 'notes.zip');
    writeFileSync(notZip, 'just some text, not a zip');
    expect((await archiveError(notZip)).message).toMatch(/is not a zip file/);
    const whole = buildZip([photo('a/1.png'), photo('a/2.png'), photo('b/1.png'), photo('b/2.png')]);
    expect((await archiveError(writeZip(whole.subarray(0, whole.length - 30)))).message).toMatch(/is not a zip file/);
  });

  it('explains the expected layout when there are no photos at all', async () => {
    const error = await archiveError(writeZip([photo('readme.txt')]));
    expect(error.message).toMatch(/No PNG or JPEG photos were found.*one folder per label/);
  });
});

describe('zip limits, all checked on the central directory before anything is unpacked', () => {
  it('refuses 1,000 files of exactly 1 MiB of zeros (they used to pass and fill the memory)', async () => {
    const mebibyte = new Uint8Array(MiB);
    const path = writeZip(Array.from({ length: 1000 }, (_, i) => ({ name: `zeros/${i}.png`, data: mebibyte })));
    const message = await refusedBeforeUnpacking(path);
    expect(message).toMatch(/^"zeros\/0\.png" is compressed [\d,]+ times \(1 MB packed into [\d.]+ KB\), /);
    expect(message).toMatch(/far more than photos can be \(at most 200 times\), so the zip looks like a zip bomb and was refused\.$/);
  });

  it("judges files too small for a ratio of their own by the whole zip's ratio", async () => {
    const small = new Uint8Array(60 * 1024);
    const path = writeZip(Array.from({ length: 1000 }, (_, i) => ({ name: `zeros/${i % 2}/${i}.png`, data: small })));
    expect(await refusedBeforeUnpacking(path)).toMatch(
      /^The files in this zip are compressed 2\d\d times \([\d.]+ MB packed into [\d.]+ KB\), far more than photos can be.*zip bomb/,
    );
  });

  it('refuses a 1 GB bomb of 16 files of 64 MB of zeros', async () => {
    const chunk = new Uint8Array(64 * MiB);
    const path = writeZip(Array.from({ length: 16 }, (_, i) => ({ name: `bomb/${i}.png`, data: chunk })));
    expect(await refusedBeforeUnpacking(path)).toMatch(/^"bomb\/0\.png" is compressed [\d,]+ times \(64 MB packed into .*zip bomb/);
  });

  it('refuses a file larger than the limit for one file', async () => {
    const declared = writeZip([photo('a/1.png'), { name: 'a/b.png', data: noise(100), declaredSize: 80 * MiB }]);
    expect(await refusedBeforeUnpacking(declared)).toBe('"a/b.png" would unpack to 80 MB; the limit for one file is 64 MB.');
    const real = writeZip([photo('a/1.png'), { name: 'a/2.png', data: noise(2048) }]);
    expect(await refusedBeforeUnpacking(real, { entryBytes: 1024 })).toBe(
      '"a/2.png" would unpack to 2 KB; the limit for one file is 1 KB.',
    );
    expect(await refusedBeforeUnpacking(declared, { entryBytes: 0xffffffff })).toMatch(/"a\/b\.png" is compressed .*zip bomb/);
  });

  it('refuses a zip whose files add up to more than the total limit', async () => {
    const path = writeZip([
      { name: 'a/1.png', data: noise(2048, 1) },
      { name: 'a/2.png', data: noise(2048, 2) },
      { name: 'b/1.png', data: noise(2048, 3) },
    ]);
    expect(await refusedBeforeUnpacking(path, { totalBytes: 4096 })).toBe('This zip would unpack to 6 KB; the limit is 4 KB.');
    // 33 files that each claim the most one file may hold, packed just tightly enough to pass the ratio.
    const packed = noise(336 * 1024);
    const full = writeZip(Array.from({ length: 33 }, (_, i) => ({ name: `big/${i}.png`, data: packed, declaredSize: 64 * MiB })));
    expect(await refusedBeforeUnpacking(full)).toBe('This zip would unpack to 2.1 GB; the limit is 2 GB.');
  });

  it('refuses a zip with too many files', async () => {
    const path = writeZip([photo('a/1.png'), photo('a/2.png'), photo('b/1.png'), photo('b/2.png')]);
    expect(await refusedBeforeUnpacking(path, { entries: 3 })).toBe('This zip holds 4 files; the limit is 3.');
    const empty = new Uint8Array(0);
    const many = writeZip(Array.from({ length: 100_001 }, (_, i) => ({ name: `a/${i}.txt`, data: empty })));
    expect(await refusedBeforeUnpacking(many)).toBe('This zip holds 100,001 files; the limit is 100,000.');
  });

  it('refuses password-protected photos', async () => {
    const path = writeZip(['a/1.png', 'a/2.png', 'b/1.png', 'b/2.png'].map((name) => ({ ...photo(name), encrypted: true })));
    expect((await archiveError(path)).message).toBe('"a/1.png" is password-protected; zip the photos again without a password.');
  });

  it('says a photo is damaged when it unpacks to less than it declares', async () => {
    const short = { name: 'b/2.png', data: noise(100), declaredSize: 5000 };
    const path = writeZip([photo('a/1.png'), photo('a/2.png'), photo('b/1.png'), short]);
    expect((await archiveError(path)).message).toMatch(/^"b\/2\.png" in the zip is damaged and could not be unpacked/);
  });
});

describe('scanImageArchive', () => {
  async function expectScanMatchesRead(path: string): Promise<void> {
    const read = await readImageArchive(path);
    const scan = await scanImageArchive(path);
    expect(scan.items).toEqual(read.items.map(({ name, label }) => ({ name, label })));
    expect(scan.classes).toEqual(labelCounts(read.items));
    expect(scan.warnings).toEqual(read.warnings);
  }

  it('finds the same photos, labels and warnings as reading, without keeping any bytes', async () => {
    await expectScanMatchesRead(
      writeZip([
        photo('photos/sneaker/1.png'),
        photo('photos/sneaker/2.png'),
        photo('photos/sandal/1.jpeg'),
        { name: 'photos/sandal/2.png', data: noise(70 * 1024), method: 0 },
        photo('photos/boot/only.png'),
        photo('photos/loose.png'),
        photo('photos/notes.txt'),
        { name: 'photos/sandal/link.png', data: bytes('/etc/passwd'), unixMode: 0o120777 },
      ]),
    );
    const sample = join('samples', 'fashion-products');
    const entries = ['bag', 'sneaker', 'trouser'].flatMap((label) =>
      Array.from({ length: 5 }, (_, i) => {
        const file = `${String(i + 1).padStart(4, '0')}.png`;
        return { name: `set/${label}/${file}`, data: readFileSync(join(sample, label, file)) };
      }),
    );
    await expectScanMatchesRead(writeZip(entries));
    const scan = await scanImageArchive(writeZip(entries));
    expect(scan.classes).toEqual(['bag', 'sneaker', 'trouser'].map((label) => ({ label, count: 5 })));
    expect(scan.items.every((item) => !('bytes' in item))).toBe(true);
  });
});

describe('checkClasses', () => {
  const item = (label: string, name: string) => ({ name, label, bytes: new Uint8Array(0) });

  it('leaves out classes with a single image and says so', () => {
    const result = checkClasses({
      items: [item('a', '1'), item('a', '2'), item('b', '1'), item('b', '2'), item('c', '1')],
      warnings: ['earlier'],
    });
    expect(result.items.map((i) => i.label)).toEqual(['a', 'a', 'b', 'b']);
    expect(result.warnings).toEqual([
      'earlier',
      'Class "c" has 1 image; at least 2 are needed to learn it and test it, so it was left out.',
    ]);
  });

  it('refuses sets with fewer than two usable classes', () => {
    expect(() => checkClasses({ items: [item('a', '1'), item('a', '2'), item('b', '1')], warnings: [] })).toThrow(
      /found only "a"/,
    );
    expect(() => checkClasses({ items: [item('a', '1'), item('b', '1')], warnings: [] })).toThrow(/found none/);
    expect(() => checkClasses({ items: [], warnings: [] })).toThrow(ImageArchiveError);
  });
});

describe('readImageFolder', () => {
  it('reads the fashion sample in path order', async () => {
    const result = await readImageFolder('samples/fashion-products');
    expect(result.items.length).toBeGreaterThanOrEqual(999);
    expect(new Set(result.items.map((i) => i.label)).size).toBe(10);
    expect(result.items[0]).toMatchObject({ name: 'ankle-boot/0001.png', label: 'ankle-boot' });
    const names = result.items.map((i) => i.name);
    expect(names).toEqual([...names].sort());
    expect(result.items[0].bytes.subarray(1, 4)).toEqual(bytes('PNG'));
  });

  it('does not follow symbolic links and applies the same labelling rules', async () => {
    const root = join(dir, 'folder');
    for (const label of ['cat', 'dog']) {
      mkdirSync(join(root, 'set', label), { recursive: true });
      writeFileSync(join(root, 'set', label, '1.png'), 'x');
      writeFileSync(join(root, 'set', label, '2.PNG'), 'x');
    }
    writeFileSync(join(root, 'set', 'cat', '.hidden.png'), 'x');
    symlinkSync(join(root, 'set', 'dog'), join(root, 'set', 'cat', 'more'));
    const result = await readImageFolder(root);
    expect(result.items.map((i) => i.name)).toEqual(['set/cat/1.png', 'set/cat/2.PNG', 'set/dog/1.png', 'set/dog/2.PNG']);
    expect(result.items.map((i) => i.label)).toEqual(['cat', 'cat', 'dog', 'dog']);
    expect(result.warnings).toEqual([expect.stringMatching(/symbolic link.*set\/cat\/more/)]);
    await expect(readImageFolder(join(dir, 'missing'))).rejects.toThrow(/could not be found/);
  });
});
