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
}

function localHeader(name: Buffer, crc: number, packed: number, size: number, method: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x0800, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(packed, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralHeader(name: Buffer, crc: number, packed: number, size: number, method: number, mode: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(0x0800, 8);
  header.writeUInt16LE(method, 10);
  header.writeUInt32LE(crc, 16);
  header.writeUInt32LE(packed, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE((mode << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name]);
}

export function buildZip(entries: TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data ?? new Uint8Array(0));
    const method = entry.method ?? 8;
    const packed = method === 8 ? deflateRawSync(data) : data;
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data) >>> 0;
    const mode = entry.unixMode ?? (entry.name.endsWith('/') ? 0o40755 : 0o100644);
    const local = localHeader(name, crc, packed.length, size, method);
    centrals.push(centralHeader(name, crc, packed.length, size, method, mode, offset));
    locals.push(local, packed);
    offset += local.length + packed.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}
