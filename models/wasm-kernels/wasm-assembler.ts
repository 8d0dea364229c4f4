/**
 * A small WebAssembly assembler for the float32 loops of the training kernels: readable
 * instruction text in, module bytes out, so no binary is checked in and no build step is needed.
 * Instructions are whitespace-separated tokens followed by their immediate where they have one
 * ("local.get $row  i32.const 4  i32.add  v128.load 0"). Locals are named ($row); parameters come
 * first, in order. Loads and stores take a constant byte offset. The module imports its memory as
 * env.memory, so it can work in place on the heap of the TensorFlow.js WebAssembly backend.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Instructions without immediates, or whose immediate is an unsigned index (locals, branch depths). */
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
  'memory.fill': [0xfc, 0x0b, 0x00],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.shl': [0x74],
  'f32.gt': [0x5e],
  'f32.add': [0x92],
  'i32x4.splat': [0xfd, 0x11],
  'f32x4.splat': [0xfd, 0x13],
  'i32x4.eq': [0xfd, 0x37],
  'f32x4.gt': [0xfd, 0x44],
  'v128.and': [0xfd, 0x4e],
  'v128.bitselect': [0xfd, 0x52],
  'i8x16.shuffle': [0xfd, 0x0d],
  'f32x4.add': [0xfd, 0xe4, 0x01],
};
const TAKES_INDEX = new Set(['br', 'br_if']);
const TAKES_LOCAL = new Set(['local.get', 'local.set', 'local.tee']);

/** Loads and stores: opcode; the byte offset follows in the text. Alignment hints are left at 1 byte. */
const MEMORY_OPCODES: Record<string, number[]> = {
  'f32.load': [0x2a],
  'f32.store': [0x38],
  'v128.load': [0xfd, 0x00],
  'v128.store': [0xfd, 0x0b],
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

export interface FunctionSource {
  name: string;
  /** Parameter names, all i32 (byte offsets into memory, sizes, counters). */
  params: string[];
  /** Further locals by name and type. */
  locals: [string, number][];
  source: string;
}

function assembleBody(f: FunctionSource): number[] {
  const index = new Map<string, number>();
  [...f.params, ...f.locals.map(([n]) => n)].forEach((n, i) => index.set(n, i));
  const tokens = f.source.trim().split(/\s+/);
  const code: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const op = tokens[t];
    const next = () => tokens[++t];
    if (op === 'block' || op === 'loop' || op === 'if') code.push({ block: 0x02, loop: 0x03, if: 0x04 }[op], 0x40);
    else if (op === 'end') code.push(0x0b);
    else if (op === 'i32.const') code.push(0x41, ...signedLeb(Number(next())));
    else if (op === 'f32.const') code.push(0x43, ...new Uint8Array(Float32Array.of(Number(next())).buffer));
    else if (op in MEMORY_OPCODES) code.push(...MEMORY_OPCODES[op], 0, ...unsignedLeb(Number(next())));
    else if (op === 'i8x16.shuffle') code.push(0xfd, 0x0d, ...next().split(',').map(Number));
    else if (op in PLAIN_OPCODES) {
      code.push(...PLAIN_OPCODES[op]);
      if (TAKES_INDEX.has(op)) code.push(...unsignedLeb(Number(next())));
      if (TAKES_LOCAL.has(op)) {
        const local = index.get(next());
        if (local === undefined) throw new Error(`${f.name}: unknown local "${tokens[t]}".`);
        code.push(...unsignedLeb(local));
      }
    } else throw new Error(`${f.name}: unknown WebAssembly instruction "${op}".`);
  }
  return [...code, 0x0b];
}

const section = (id: number, payload: number[]) => [id, ...unsignedLeb(payload.length), ...payload];
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string) => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];

/** A module importing its memory as env.memory and exporting `functions`, each returning nothing. */
export function assembleModule(functions: FunctionSource[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map(() => [I32])), 0x00]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)];
  const bodies = functions.map((f) => {
    const body = [...vector(f.locals.map(([, type]) => [1, type])), ...assembleBody(f)];
    return [...unsignedLeb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

/** Instructions for `for (name = from; name < to; name += step) body`, from/to/step as instruction text. */
export function forLoop(local: string, from: string, to: string, step: string, body: string): string {
  return `
    ${from}  local.set ${local}
    block
      loop
        local.get ${local}  ${to}  i32.ge_s  br_if 1
        ${body}
        local.get ${local}  ${step}  i32.add  local.set ${local}
        br 0
      end
    end`;
}

export const i32Locals = (...names: string[]): [string, number][] => names.map((n) => [n, I32]);

/** Instructions adding `step` (instruction text) to the i32 local `local`. */
export const inc = (local: string, step: string) => `local.get ${local}  ${step}  i32.add  local.set ${local}`;

/** Pushes max(a, b) (cmp i32.gt_s) or min(a, b) (cmp i32.lt_s) of two i32 instruction texts. */
export const pick = (a: string, b: string, cmp: 'i32.gt_s' | 'i32.lt_s') => `${a}  ${b}  ${a}  ${b}  ${cmp}  select`;

/** The immediate of an i8x16.shuffle that picks 32-bit lanes (0–3 first operand, 4–7 second). */
export const lanes32 = (...picks: number[]) => picks.flatMap((p) => [4 * p, 4 * p + 1, 4 * p + 2, 4 * p + 3]).join(',');
