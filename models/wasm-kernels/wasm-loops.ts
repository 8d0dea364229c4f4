/**
 * The data-movement loops of the training kernels (patch gather and scatter-add, max-pool
 * gradient routing, column sums) as a small WebAssembly SIMD module that shares the memory of the
 * TensorFlow.js WebAssembly backend. Working in place on the backend's heap avoids copying tensors
 * out and back, and the same loops in JavaScript pay a bounds check per element and have no vector
 * registers: they cost as much as the matrix products they feed (8 ms of a 9 ms product for the
 * second layer of the reference CNN, against under 1 ms here).
 *
 * All pointers and sizes are in bytes; channel runs are copied four floats at a time with a scalar
 * tail, so any channel count works. `wasmLoopsFor` returns null where the module cannot be used
 * (no SIMD, or a backend build that hides its memory); callers then run their JavaScript loops.
 */
import { assembleModule, forLoop, F32, I32, V128, type FunctionSource } from './wasm-assembler';

const GEOMETRY = ['$batch', '$inH', '$inW', '$ch', '$outH', '$outW', '$fh', '$fw', '$sh', '$sw', '$dh', '$dw', '$padTop', '$padLeft'];

const i32Locals = (...names: string[]): [string, number][] => names.map((n) => [n, I32]);
const inc = (local: string, step: string) => `local.get ${local}  ${step}  i32.add  local.set ${local}`;

/** Pushes max(a, b) or min(a, b) of two i32 instruction texts. */
const pick = (a: string, b: string, cmp: 'i32.gt_s' | 'i32.lt_s') => `${a}  ${b}  ${a}  ${b}  ${cmp}  select`;

/** Copies (or adds) `$ch` bytes of floats from `$from` to `$to`: vectors, then a scalar tail. */
function channelRun(add: boolean, zero: boolean): string {
  const vector = zero ? 'i32.const 0  i32x4.splat' : 'local.get $from  local.get $j  i32.add  v128.load 0';
  const scalar = zero ? 'f32.const 0' : 'local.get $from  local.get $j  i32.add  f32.load 0';
  const vecOp = add ? 'local.get $to  local.get $j  i32.add  v128.load 0  f32x4.add' : '';
  const scaOp = add ? 'local.get $to  local.get $j  i32.add  f32.load 0  f32.add' : '';
  return `
    ${forLoop('$j', 'i32.const 0', 'local.get $vecEnd', 'i32.const 16', `local.get $to  local.get $j  i32.add  ${vector}  ${vecOp}  v128.store 0`)}
    block
      loop
        local.get $j  local.get $ch  i32.ge_s  br_if 1
        local.get $to  local.get $j  i32.add  ${scalar}  ${scaOp}  f32.store 0
        ${inc('$j', 'i32.const 4')}
        br 0
      end
    end`;
}

/**
 * gather: cols[n, (kh, kw, ci)] = x[b, iy, ix, ci], zero in the padding (im2col, one row per output
 * pixel n). scatter: dx[b, iy, ix, ci] += cols[n, (kh, kw, ci)], skipping the padding (col2im).
 */
function patchSource(scatter: boolean): FunctionSource {
  const inside = scatter
    ? `local.get $col  local.set $from  local.get $src  local.set $to  ${channelRun(true, false)}`
    : `local.get $src  local.set $from  local.get $col  local.set $to  ${channelRun(false, false)}`;
  const outside = scatter ? '' : `local.get $col  local.set $to  ${channelRun(false, true)}`;
  const tap = `
    local.get $ox  local.get $sw  i32.mul  local.get $kw  local.get $dw  i32.mul  i32.add  local.get $padLeft  i32.sub  local.set $ix
    local.get $iy  local.get $inH  i32.ge_u  local.get $ix  local.get $inW  i32.ge_u  i32.or  i32.eqz
    if
      local.get $image  local.get $iy  local.get $rowBytes  i32.mul  i32.add  local.get $ix  local.get $ch  i32.mul  i32.add  local.set $src
      ${inside}
    else
      ${outside}
    end
    ${inc('$col', 'local.get $ch')}`;
  const row = forLoop('$kh', 'i32.const 0', 'local.get $fh', 'i32.const 1', `
    local.get $oy  local.get $sh  i32.mul  local.get $kh  local.get $dh  i32.mul  i32.add  local.get $padTop  i32.sub  local.set $iy
    ${forLoop('$kw', 'i32.const 0', 'local.get $fw', 'i32.const 1', tap)}`);
  const pixels = forLoop('$oy', 'i32.const 0', 'local.get $outH', 'i32.const 1',
    forLoop('$ox', 'i32.const 0', 'local.get $outW', 'i32.const 1', row));
  return {
    name: scatter ? 'scatterPatches' : 'gatherPatches',
    params: ['$x', '$cols', ...GEOMETRY],
    locals: i32Locals('$b', '$oy', '$ox', '$kh', '$kw', '$iy', '$ix', '$src', '$col', '$from', '$to', '$j', '$vecEnd', '$rowBytes', '$imageBytes', '$image'),
    source: `
      local.get $ch  i32.const -16  i32.and  local.set $vecEnd
      local.get $inW  local.get $ch  i32.mul  local.set $rowBytes
      local.get $inH  local.get $rowBytes  i32.mul  local.set $imageBytes
      local.get $cols  local.set $col
      ${forLoop('$b', 'i32.const 0', 'local.get $batch', 'i32.const 1', `
        local.get $x  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.set $image
        ${pixels}`)}`,
  };
}

/**
 * cols[(kh, kw, ci), n] = x[b, iy, ix, ci], zero in the padding: the transposed patch matrix, one row
 * per filter tap and channel. Reads are strided; writes run along output rows, and the columns
 * whose input lies in the image ([oxLo, oxHi)) are found once per tap so the copy needs no checks.
 */
function transposedGatherSource(): FunctionSource {
  const run = `
    local.get $oy  local.get $sh  i32.mul  local.get $kh  local.get $dh  i32.mul  i32.add  local.get $padTop  i32.sub  local.set $iy
    local.get $iy  local.get $inH  i32.ge_u
    if
      local.get $dst  i32.const 0  local.get $rowOut  memory.fill
    else
      local.get $dst  i32.const 0  local.get $oxLo  i32.const 4  i32.mul  memory.fill
      local.get $dst  local.get $oxHi  i32.const 4  i32.mul  i32.add  i32.const 0  local.get $outW  local.get $oxHi  i32.sub  i32.const 4  i32.mul  memory.fill
      local.get $image  local.get $iy  local.get $rowBytes  i32.mul  i32.add
      local.get $oxLo  local.get $sw  i32.mul  local.get $dx  i32.add  local.get $ch  i32.mul  i32.add  local.set $src
      local.get $dst  local.get $oxHi  i32.const 4  i32.mul  i32.add  local.set $pEnd
      ${forLoop('$p', 'local.get $dst  local.get $oxLo  i32.const 4  i32.mul  i32.add', 'local.get $pEnd', 'i32.const 4', `
        local.get $p  local.get $src  f32.load 0  f32.store 0
        ${inc('$src', 'local.get $xStep')}`)}
    end
    ${inc('$dst', 'local.get $rowOut')}`;
  const tap = `
    local.get $kw  local.get $dw  i32.mul  local.get $padLeft  i32.sub  local.set $dx
    ${pick(pick('local.get $sw  i32.const 1  i32.sub  local.get $dx  i32.sub  local.get $sw  i32.div_s', 'i32.const 0', 'i32.gt_s'), 'local.get $outW', 'i32.lt_s')}  local.set $oxLo
    ${pick(pick('local.get $inW  local.get $dx  i32.sub  local.get $sw  i32.add  i32.const 1  i32.sub  local.get $sw  i32.div_s', 'local.get $outW', 'i32.lt_s'), 'local.get $oxLo', 'i32.gt_s')}  local.set $oxHi
    ${forLoop('$c', 'i32.const 0', 'local.get $ch', 'i32.const 4',
      forLoop('$b', 'i32.const 0', 'local.get $batch', 'i32.const 1', `
        local.get $x  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.get $c  i32.add  local.set $image
        ${forLoop('$oy', 'i32.const 0', 'local.get $outH', 'i32.const 1', run)}`))}`;
  return {
    name: 'gatherPatchesTransposed',
    params: ['$x', '$cols', ...GEOMETRY],
    locals: i32Locals('$kh', '$kw', '$c', '$b', '$oy', '$iy', '$dx', '$oxLo', '$oxHi', '$src', '$dst', '$p', '$pEnd', '$image',
      '$rowBytes', '$imageBytes', '$xStep', '$rowOut'),
    source: `
      local.get $inW  local.get $ch  i32.mul  local.set $rowBytes
      local.get $inH  local.get $rowBytes  i32.mul  local.set $imageBytes
      local.get $sw  local.get $ch  i32.mul  local.set $xStep
      local.get $outW  i32.const 4  i32.mul  local.set $rowOut
      local.get $cols  local.set $dst
      ${forLoop('$kh', 'i32.const 0', 'local.get $fh', 'i32.const 1',
        forLoop('$kw', 'i32.const 0', 'local.get $fw', 'i32.const 1', tap))}`,
  };
}

/** Instructions running `body` for every in-image window position, with its byte offset in $off. */
const windowLoop = (body: string) =>
  forLoop('$y', 'local.get $yMin', 'local.get $yMax', 'i32.const 1',
    forLoop('$xx', 'local.get $xMin', 'local.get $xMax', 'i32.const 1', `
      local.get $y  local.get $rowBytes  i32.mul  local.get $xx  local.get $ch  i32.mul  i32.add  local.get $c  i32.add  local.set $off
      ${body}`));

/** Four channels at once: the first strict maximum's offset per lane, then a masked add at every position. */
const POOL_VECTOR = `
  f32.const -Infinity  f32x4.splat  local.set $best
  i32.const -1  i32x4.splat  local.set $at
  ${windowLoop(`
    local.get $image  local.get $off  i32.add  v128.load 0  local.tee $v
    local.get $best  f32x4.gt  local.set $mask
    local.get $v  local.get $best  local.get $mask  v128.bitselect  local.set $best
    local.get $off  i32x4.splat  local.get $at  local.get $mask  v128.bitselect  local.set $at`)}
  local.get $dy  local.get $c  i32.add  v128.load 0  local.set $g
  ${windowLoop(`
    local.get $grad  local.get $off  i32.add
    local.get $grad  local.get $off  i32.add  v128.load 0
    local.get $g  local.get $at  local.get $off  i32x4.splat  i32x4.eq  v128.and  f32x4.add  v128.store 0`)}`;

const POOL_SCALAR = `
  f32.const -Infinity  local.set $bestS
  i32.const -1  local.set $atS
  ${windowLoop(`
    local.get $image  local.get $off  i32.add  f32.load 0  local.tee $vS  local.get $bestS  f32.gt
    if  local.get $vS  local.set $bestS  local.get $off  local.set $atS  end`)}
  local.get $atS  i32.const 0  i32.ge_s
  if
    local.get $grad  local.get $atS  i32.add
    local.get $grad  local.get $atS  i32.add  f32.load 0  local.get $dy  local.get $c  i32.add  f32.load 0  f32.add  f32.store 0
  end`;

/** dx (zeroed by the caller) receives each pooled output's gradient at the first maximum of its window. */
function maxPoolGradSource(): FunctionSource {
  const pixel = `
    local.get $ox  local.get $sw  i32.mul  local.get $padLeft  i32.sub  local.set $x0
    ${pick('local.get $x0', 'i32.const 0', 'i32.gt_s')}  local.set $xMin
    ${pick('local.get $x0  local.get $fw  i32.add', 'local.get $inW', 'i32.lt_s')}  local.set $xMax
    ${forLoop('$c', 'i32.const 0', 'local.get $vecEnd', 'i32.const 16', POOL_VECTOR)}
    ${forLoop('$c', 'local.get $vecEnd', 'local.get $ch', 'i32.const 4', POOL_SCALAR)}
    ${inc('$dy', 'local.get $ch')}`;
  const rows = forLoop('$oy', 'i32.const 0', 'local.get $outH', 'i32.const 1', `
    local.get $oy  local.get $sh  i32.mul  local.get $padTop  i32.sub  local.set $y0
    ${pick('local.get $y0', 'i32.const 0', 'i32.gt_s')}  local.set $yMin
    ${pick('local.get $y0  local.get $fh  i32.add', 'local.get $inH', 'i32.lt_s')}  local.set $yMax
    ${forLoop('$ox', 'i32.const 0', 'local.get $outW', 'i32.const 1', pixel)}`);
  return {
    name: 'maxPoolGrad',
    params: ['$x', '$dy', '$dx', '$batch', '$inH', '$inW', '$ch', '$outH', '$outW', '$fh', '$fw', '$sh', '$sw', '$padTop', '$padLeft'],
    locals: [
      ...i32Locals('$b', '$oy', '$ox', '$y0', '$x0', '$yMin', '$yMax', '$xMin', '$xMax', '$y', '$xx', '$c', '$off'),
      ...i32Locals('$image', '$grad', '$vecEnd', '$rowBytes', '$imageBytes', '$atS'),
      ['$bestS', F32], ['$vS', F32], ['$best', V128], ['$at', V128], ['$v', V128], ['$mask', V128], ['$g', V128],
    ],
    source: `
      local.get $ch  i32.const -16  i32.and  local.set $vecEnd
      local.get $inW  local.get $ch  i32.mul  local.set $rowBytes
      local.get $inH  local.get $rowBytes  i32.mul  local.set $imageBytes
      ${forLoop('$b', 'i32.const 0', 'local.get $batch', 'i32.const 1', `
        local.get $x  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.set $image
        local.get $dx  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.set $grad
        ${rows}`)}`,
  };
}

/** dst (zeroed by the caller, `$ch` bytes) += every row of src. */
const SUM_ROWS: FunctionSource = {
  name: 'sumRows',
  params: ['$src', '$dst', '$rows', '$ch'],
  locals: i32Locals('$r', '$from', '$to', '$j', '$vecEnd'),
  source: `
    local.get $ch  i32.const -16  i32.and  local.set $vecEnd
    local.get $dst  local.set $to
    local.get $src  local.set $from
    ${forLoop('$r', 'i32.const 0', 'local.get $rows', 'i32.const 1', `
      ${channelRun(true, false)}
      ${inc('$from', 'local.get $ch')}`)}`,
};

export interface WasmLoops {
  /** Arguments: x, cols, then batch, inH, inW, channel bytes, outH, outW, fh, fw, sh, sw, dh, dw, padTop, padLeft. */
  gatherPatches(...args: number[]): void;
  /** As gatherPatches, writing the transposed [K, N] matrix. */
  gatherPatchesTransposed(...args: number[]): void;
  /** As gatherPatches, with dx (zeroed by the caller) in place of x. */
  scatterPatches(...args: number[]): void;
  /** Arguments: x, dy, dx, then batch, inH, inW, channel bytes, outH, outW, fh, fw, sh, sw, padTop, padLeft. */
  maxPoolGrad(...args: number[]): void;
  sumRows(src: number, dst: number, rows: number, channelBytes: number): void;
}

let bytes: Uint8Array<ArrayBuffer> | null | undefined;
let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, WasmLoops>();

/** The loops bound to the backend's memory, or null where they cannot run there. */
export function wasmLoopsFor(backend: unknown): WasmLoops | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const existing = instances.get(memory);
  if (existing) return existing;
  if (bytes === undefined) {
    bytes = assembleModule([patchSource(false), transposedGatherSource(), patchSource(true), maxPoolGradSource(), SUM_ROWS]);
    if (!WebAssembly.validate(bytes)) bytes = null;
    else compiled = new WebAssembly.Module(bytes);
  }
  if (!compiled) return null;
  const loops = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as WasmLoops;
  instances.set(memory, loops);
  return loops;
}
