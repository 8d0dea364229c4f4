import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkClasses, ImageArchiveError, readImageArchive, readImageFolder } from './archive';
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

async function archiveError(path: string, limits = {}): Promise<ImageArchiveError> {
  const error = await readImageArchive(path, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageArchiveError);
  return error as ImageArchiveError;
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

  it('refuses a file that inflates far beyond its packed size', async () => {
    const path = writeZip([photo('a/1.png'), { name: 'a/2.png', data: new Uint8Array(2 * 1024 * 1024) }]);
    expect((await archiveError(path)).message).toMatch(/zip bomb.*"a\/2\.png" would grow/);
  });

  it('refuses a zip whose declared total size is too big, before unpacking anything', async () => {
    const path = writeZip([photo('a/1.png'), { name: 'a/2.png', data: bytes('x'), declaredSize: 0xfffffff0 }]);
    expect((await archiveError(path)).message).toMatch(/zip bomb or is too big.*more than 1\.0 GB/);
    const small = writeZip([photo('a/1.png'), photo('a/2.png'), photo('b/1.png')]);
    expect((await archiveError(small, { maxTotalBytes: 30 })).message).toMatch(/too big/);
  });

  it('refuses a zip with too many files', async () => {
    const path = writeZip([photo('a/1.png'), photo('a/2.png'), photo('b/1.png'), photo('b/2.png')]);
    expect((await archiveError(path, { maxEntries: 3 })).message).toMatch(/holds 4 files, more than the 3 allowed/);
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
