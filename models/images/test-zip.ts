import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip writer for tests: real archive tools refuse to write the hostile archives
 * (fake sizes, symbolic links, "../" names) that the reader must survive.
 */
export interface TestZipEntry {
  name: string;
  data?: Uint8Array;
  /** Stored (0) keeps bytes as they are; deflate (8) is the default. */
  method?: 0 | 8;
  /** Unix mode put in the upper 16 bits of the external attributes, e.g. 0o120777 for a symbolic link. */
  unixMode?: number;
  /** Overrides the declared unpacked size, to fake zip bombs. */
  declaredSize?: number;
  /** Marks the entry password-protected (general purpose flag bit 0); the data itself stays plain. */
  encrypted?: boolean;
}

const UTF8_NAMES = 0x0800;
const ENCRYPTED = 0x0001;

/** Packed once per data array (never change one after use), so a test can repeat a large entry thousands of times cheaply. */
const packedCache = new WeakMap<Uint8Array, { crc: number; deflated?: Buffer }>();

function pack(data: Uint8Array, method: 0 | 8): { crc: number; packed: Buffer } {
  let cached = packedCache.get(data);
  if (!cached) {
    cached = { crc: crc32(data) >>> 0 };
    packedCache.set(data, cached);
  }
  if (method === 0) return { crc: cached.crc, packed: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  cached.deflated ??= deflateRawSync(data);
  return { crc: cached.crc, packed: cached.deflated };
}

function localHeader(name: Buffer, crc: number, packed: number, size: number, method: number, flags: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(flags, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(packed, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

interface CentralFields {
  crc: number;
  packed: number;
  size: number;
  method: number;
  flags: number;
  mode: number;
  offset: number;
}

function centralHeader(name: Buffer, { crc, packed, size, method, flags, mode, offset }: CentralFields): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(flags, 8);
  header.writeUInt16LE(method, 10);
  header.writeUInt32LE(crc, 16);
  header.writeUInt32LE(packed, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE((mode << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name]);
}

/** More than 65,535 entries do not fit the classic end record: zip64 records carry the real count. */
function zip64End(count: number, centralSize: number, centralOffset: number): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(centralSize), 40);
  record.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator]);
}

export function buildZip(entries: TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = entry.data ?? new Uint8Array(0);
    const method = entry.method ?? 8;
    const { crc, packed } = pack(data, method);
    const size = entry.declaredSize ?? data.length;
    const flags = UTF8_NAMES | (entry.encrypted ? ENCRYPTED : 0);
    const mode = entry.unixMode ?? (entry.name.endsWith('/') ? 0o40755 : 0o100644);
    const local = localHeader(name, crc, packed.length, size, method, flags);
    centrals.push(centralHeader(name, { crc, packed: packed.length, size, method, flags, mode, offset }));
    locals.push(local, packed);
    offset += local.length + packed.length;
  }
  const central = Buffer.concat(centrals);
  const zip64 = entries.length > 0xffff;
  const count = zip64 ? 0xffff : entries.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  const tail = zip64 ? [zip64End(entries.length, central.length, offset), end] : [end];
  return Buffer.concat([...locals, central, ...tail]);
}
