/**
 * A minimal WebAssembly assembler for the handful of instructions the support vector loops
 * use: enough to turn readable instruction text into a module without a build step or a
 * checked-in binary. Instructions are whitespace-separated tokens, each followed by its
 * immediate where it has one, e.g. "local.get 3  f64.load 0  f64.const 0.5". Also keeps
 * instances with their memory for reuse (WasmProgram).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Instructions whose immediates, if any, are unsigned integers (indices, lanes, depths). */
const PLAIN_OPCODES: Record<string, number[]> = {
  'local.get': [0x20],
  'local.set': [0x21],
  'local.tee': [0x22],
  br: [0x0c],
  br_if: [0x0d],
  'i32.add': [0x6a],
  'i32.mul': [0x6c],
  'i32.and': [0x71],
  'i32.shl': [0x74],
  'i32.ge_s': [0x4e],
  select: [0x1b],
  else: [0x05],
  'i64.add': [0x7c],
  'i64.shl': [0x86],
  'i64.trunc_f64_s': [0xb0],
  'f64.neg': [0x9a],
  'f64.nearest': [0x9e],
  'f64.add': [0xa0],
  'f64.sub': [0xa1],
  'f64.mul': [0xa2],
  'f64.max': [0xa5],
  'f64.div': [0xa3],
  'f64.gt': [0x64],
  'f64.le': [0x65],
  'f64.ge': [0x66],
  'f64.promote_f32': [0xbb],
  'f64.reinterpret_i64': [0xbf],
  'f32.demote_f64': [0xb6],
  'f64x2.extract_lane': [0xfd, 0x21],
  'f64x2.add': [0xfd, 0xf0, 0x01],
  'f64x2.mul': [0xfd, 0xf2, 0x01],
};
const TAKES_INDEX = new Set(['local.get', 'local.set', 'local.tee', 'br', 'br_if', 'f64x2.extract_lane']);

/** Loads and stores: opcode and declared alignment (log2 bytes); an offset follows in the text. */
const MEMORY_OPCODES: Record<string, [number[], number]> = {
  'i32.load8_u': [[0x2d], 0],
  'f32.load': [[0x2a], 2],
  'f64.load': [[0x2b], 3],
  'f64.store': [[0x39], 3],
  'f32.store': [[0x38], 2],
  'v128.load': [[0xfd, 0x00], 3],
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

function float64Bytes(value: number): number[] {
  return Array.from(new Uint8Array(Float64Array.of(value).buffer));
}

function assembleBody(source: string): number[] {
  const tokens = source.trim().split(/\s+/);
  const code: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const op = tokens[t];
    const immediate = () => Number(tokens[++t]);
    if (op === 'block' || op === 'loop' || op === 'if') code.push({ block: 0x02, loop: 0x03, if: 0x04 }[op], 0x40);
    else if (op === 'end') code.push(0x0b);
    else if (op === 'i32.const' || op === 'i64.const') code.push(op === 'i32.const' ? 0x41 : 0x42, ...signedLeb(immediate()));
    else if (op === 'f64.const') code.push(0x44, ...float64Bytes(immediate()));
    else if (op === 'v128.zero') code.push(0xfd, 0x0c, ...new Array<number>(16).fill(0));
    else if (op in MEMORY_OPCODES) {
      const [opcode, alignment] = MEMORY_OPCODES[op];
      code.push(...opcode, alignment, ...unsignedLeb(immediate()));
    } else if (op in PLAIN_OPCODES) {
      code.push(...PLAIN_OPCODES[op]);
      if (TAKES_INDEX.has(op)) code.push(...unsignedLeb(immediate()));
    } else throw new Error(`Unknown WebAssembly instruction "${op}".`);
  }
  return [...code, 0x0b];
}

const section = (id: number, payload: number[]) => [id, ...unsignedLeb(payload.length), ...payload];
const vector = (items: number[][]) => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string) => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];

export interface FunctionSource {
  name: string;
  params: number[];
  /** Result types; none when omitted. */
  results?: number[];
  /** Extra locals as [count, type] runs, numbered after the parameters. */
  locals: [number, number][];
  source: string;
}

/** A module importing its memory as env.memory and exporting `functions`, each with its own type. */
export function assembleModule(functions: FunctionSource[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), ...vector((f.results ?? []).map((r) => [r]))]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)];
  const bodies = functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...unsignedLeb(count), type])), ...assembleBody(f.source)];
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

export type Exported = (...args: number[]) => number;

export interface Workspace {
  memory: WebAssembly.Memory;
  exports: Record<string, Exported>;
}

/** Idle instances kept per program, and the largest memory worth keeping. */
const MAX_IDLE_WORKSPACES = 4;
const MAX_IDLE_WORKSPACE_BYTES = 64 * 1024 * 1024;

/**
 * A module compiled once (lazily), handing out instances with their own memory. Released
 * instances are kept for the next caller: creating WebAssembly memory costs tens of
 * microseconds, which adds up over the dozens of small solves of a multiclass fit.
 */
export class WasmProgram {
  private compiled: WebAssembly.Module | null | undefined;
  private readonly idle: Workspace[] = [];

  constructor(private readonly functions: FunctionSource[]) {}

  /** An instance with at least `bytes` of memory, or null where WebAssembly SIMD is unavailable. */
  acquire(bytes: number): Workspace | null {
    const module = this.module();
    if (!module || bytes > 2 ** 31) return null;
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    let workspace = this.idle.pop();
    if (!workspace) {
      const memory = new WebAssembly.Memory({ initial: pages });
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, Exported>;
      workspace = { memory, exports };
    }
    const available = workspace.memory.buffer.byteLength / 65536;
    if (available < pages) workspace.memory.grow(pages - available);
    return workspace;
  }

  /** Hands an instance back; its memory's views must not be used afterwards. */
  release(workspace: Workspace): void {
    const small = workspace.memory.buffer.byteLength <= MAX_IDLE_WORKSPACE_BYTES;
    if (small && this.idle.length < MAX_IDLE_WORKSPACES && !this.idle.includes(workspace)) this.idle.push(workspace);
  }

  private module(): WebAssembly.Module | null {
    if (this.compiled === undefined) {
      try {
        const bytes = assembleModule(this.functions);
        const valid = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes);
        this.compiled = valid ? new WebAssembly.Module(bytes) : null;
      } catch {
        this.compiled = null;
      }
    }
    return this.compiled;
  }
}
