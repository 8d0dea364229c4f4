/**
 * A minimal WebAssembly assembler: readable instruction text in, module bytes out, so no binary is
 * checked in and no build step is needed. Shared by the support vector loops (float64) and the
 * training kernels of convolutional networks (float32 SIMD).
 *
 * Instructions are whitespace-separated tokens followed by their immediate where they have one,
 * e.g. "local.get $row  i32.const 4  i32.add  f64.load 0". A local is named by its index (3) or by a
 * name given in `localNames` ($row). Modules import their memory as env.memory, so a program can work
 * in its own memory or in place on another module's heap.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const I64 = 0x7e;
export const V128 = 0x7b;

/** Instructions without immediates, or whose immediate is an unsigned index (branch depths, lanes). */
const PLAIN_OPCODES: Record<string, number[]> = {
  'local.get': [0x20],
  'local.set': [0x21],
  'local.tee': [0x22],
  br: [0x0c],
  br_if: [0x0d],
  else: [0x05],
  select: [0x1b],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_s': [0x48],
  'i32.gt_s': [0x4a],
  'i32.le_s': [0x4c],
  'i32.ge_s': [0x4e],
  'i32.ge_u': [0x4f],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.div_s': [0x6d],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.shl': [0x74],
  'i32.shr_u': [0x76],
  'i64.add': [0x7c],
  'i64.and': [0x83],
  'i64.or': [0x84],
  'i64.shl': [0x86],
  'i64.shr_u': [0x88],
  'i64.reinterpret_f64': [0xbd],
  'i32.wrap_i64': [0xa7],
  'i64.trunc_f64_s': [0xb0],
  'f32.gt': [0x5e],
  'f32.add': [0x92],
  'f32.demote_f64': [0xb6],
  'f64.eq': [0x61],
  'f64.gt': [0x64],
  'f64.le': [0x65],
  'f64.ge': [0x66],
  'f64.neg': [0x9a],
  'f64.nearest': [0x9e],
  'f64.add': [0xa0],
  'f64.sub': [0xa1],
  'f64.mul': [0xa2],
  'f64.div': [0xa3],
  'f64.max': [0xa5],
  'f64.convert_i32_s': [0xb7],
  'f64.promote_f32': [0xbb],
  'f64.reinterpret_i64': [0xbf],
  'memory.fill': [0xfc, 0x0b, 0x00],
  'i32x4.splat': [0xfd, 0x11],
  'f32x4.splat': [0xfd, 0x13],
  'f64x2.extract_lane': [0xfd, 0x21],
  'i32x4.eq': [0xfd, 0x37],
  'f32x4.gt': [0xfd, 0x44],
  'v128.and': [0xfd, 0x4e],
  'v128.andnot': [0xfd, 0x4f],
  'f32x4.nearest': [0xfd, 0x6a],
  'i32x4.shl': [0xfd, 0xab, 0x01],
  'i32x4.add': [0xfd, 0xae, 0x01],
  'v128.bitselect': [0xfd, 0x52],
  'f32x4.add': [0xfd, 0xe4, 0x01],
  'f32x4.sub': [0xfd, 0xe5, 0x01],
  'f32x4.mul': [0xfd, 0xe6, 0x01],
  'f32x4.div': [0xfd, 0xe7, 0x01],
  'f32x4.pmax': [0xfd, 0xeb, 0x01],
  'f64x2.add': [0xfd, 0xf0, 0x01],
  'f64x2.mul': [0xfd, 0xf2, 0x01],
  'i32x4.trunc_sat_f32x4_s': [0xfd, 0xf8, 0x01],
};
const TAKES_INDEX = new Set(['br', 'br_if', 'f64x2.extract_lane']);
const TAKES_LOCAL = new Set(['local.get', 'local.set', 'local.tee']);

/** Loads and stores: opcode and natural alignment (log2 bytes); a byte offset follows in the text. */
const MEMORY_OPCODES: Record<string, [number[], number]> = {
  'i32.load8_u': [[0x2d], 0],
  'f32.load': [[0x2a], 2],
  'f64.load': [[0x2b], 3],
  'f32.store': [[0x38], 2],
  'f64.store': [[0x39], 3],
  // Vectors are often read at 4-byte steps, so no stronger alignment than a float's is promised.
  'v128.load': [[0xfd, 0x00], 2],
  'v128.store': [[0xfd, 0x0b], 2],
};

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const floatBytes = (value: number, type: 'f32' | 'f64') =>
  Array.from(new Uint8Array((type === 'f32' ? Float32Array : Float64Array).of(value).buffer));

export interface FunctionSource {
  name: string;
  /** Parameter types, in order. */
  params: number[];
  /** Result types; none when omitted. */
  results?: number[];
  /** Extra locals as [count, type] runs, numbered after the parameters. */
  locals: [number, number][];
  /** Names of the locals by index, parameters first, so the text can say `local.get $row`. */
  localNames?: string[];
  source: string;
}

function localIndex(f: FunctionSource, token: string): number {
  const index = /^\d+$/.test(token) ? Number(token) : (f.localNames?.indexOf(token) ?? -1);
  if (index < 0) throw new Error(`${f.name}: unknown local "${token}".`);
  return index;
}

function assembleBody(f: FunctionSource): number[] {
  const tokens = f.source.trim().split(/\s+/);
  const code: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const op = tokens[t];
    const next = () => tokens[++t];
    if (op === 'block' || op === 'loop' || op === 'if') code.push({ block: 0x02, loop: 0x03, if: 0x04 }[op], 0x40);
    else if (op === 'end') code.push(0x0b);
    else if (op === 'i32.const' || op === 'i64.const') code.push(op === 'i32.const' ? 0x41 : 0x42, ...signedLeb(Number(next())));
    else if (op === 'f32.const' || op === 'f64.const') code.push(op === 'f32.const' ? 0x43 : 0x44, ...floatBytes(Number(next()), op === 'f32.const' ? 'f32' : 'f64'));
    else if (op === 'v128.zero') code.push(0xfd, 0x0c, ...new Array<number>(16).fill(0));
    else if (op === 'i8x16.shuffle') code.push(0xfd, 0x0d, ...next().split(',').map(Number));
    else if (op in MEMORY_OPCODES) {
      const [opcode, alignment] = MEMORY_OPCODES[op];
      code.push(...opcode, alignment, ...unsignedLeb(Number(next())));
    } else if (op in PLAIN_OPCODES) {
      code.push(...PLAIN_OPCODES[op]);
      if (TAKES_INDEX.has(op)) code.push(...unsignedLeb(Number(next())));
      if (TAKES_LOCAL.has(op)) code.push(...unsignedLeb(localIndex(f, next())));
    } else throw new Error(`${f.name}: unknown WebAssembly instruction "${op}".`);
  }
  return [...code, 0x0b];
}

const section = (id: number, payload: number[]) => [id, ...unsignedLeb(payload.length), ...payload];
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string) => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];

/** A module importing its memory as env.memory and exporting `functions`, each with its own type. */
export function assembleModule(functions: FunctionSource[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), ...vector((f.results ?? []).map((r) => [r]))]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)];
  const bodies = functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...unsignedLeb(count), type])), ...assembleBody(f)];
    return [...unsignedLeb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, index) => unsignedLeb(index)))),
    ...section(7, vector(functions.map((f, index) => [...name(f.name), 0x00, ...unsignedLeb(index)]))),
    ...section(10, vector(bodies)),
  ]);
}
