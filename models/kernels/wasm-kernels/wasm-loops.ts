/**
 * The data-movement loops of the training kernels (patch gather and scatter-add, max-pool
 * gradient routing, column sums) as a small WebAssembly SIMD module that shares the memory of the
 * TensorFlow.js WebAssembly backend. Working in place on the backend's heap avoids copying tensors
 * out and back, and the same loops in JavaScript pay a bounds check per element and have no vector
 * registers: on the second layer of the reference CNN the JavaScript patch gather took 8 ms next to
 * its 9 ms matrix product (2.6 ms here), and the two max-pool gradients 11 ms (1.5 ms here).
 *
 * Pointers and channel sizes are in bytes; channels go four floats at a time with a scalar tail, so
 * any channel count works. `wasmLoopsFor` returns null where the module cannot be used
 * (no SIMD, or a backend build that hides its memory); callers then run their JavaScript loops.
 */
import { assembleModule, forLoop, i32Locals, inc, pick, F32, V128, type FunctionSource } from './wasm-assembler';
import { PATCH_GEOMETRY, transposedGatherSource, transposeSource } from './wasm-gather';

/** Adds `$ch` bytes of floats at `$from` onto those at `$to`: vectors, then a scalar tail. */
const ADD_CHANNEL_RUN = `
  ${forLoop('$j', 'i32.const 0', 'local.get $vecEnd', 'i32.const 16', `
    local.get $to  local.get $j  i32.add
    local.get $from  local.get $j  i32.add  v128.load 0  local.get $to  local.get $j  i32.add  v128.load 0  f32x4.add  v128.store 0`)}
  block
    loop
      local.get $j  local.get $ch  i32.ge_s  br_if 1
      local.get $to  local.get $j  i32.add
      local.get $from  local.get $j  i32.add  f32.load 0  local.get $to  local.get $j  i32.add  f32.load 0  f32.add  f32.store 0
      ${inc('$j', 'i32.const 4')}
      br 0
    end
  end`;

/** dx[b, iy, ix, ci] += cols[n, (kh, kw, ci)] for every output pixel n, skipping the padding (col2im). */
function scatterSource(): FunctionSource {
  const tap = `
    local.get $ox  local.get $sw  i32.mul  local.get $kw  local.get $dw  i32.mul  i32.add  local.get $padLeft  i32.sub  local.set $ix
    local.get $iy  local.get $inH  i32.ge_u  local.get $ix  local.get $inW  i32.ge_u  i32.or  i32.eqz
    if
      local.get $image  local.get $iy  local.get $rowBytes  i32.mul  i32.add  local.get $ix  local.get $ch  i32.mul  i32.add  local.set $to
      local.get $col  local.set $from
      ${ADD_CHANNEL_RUN}
    end
    ${inc('$col', 'local.get $ch')}`;
  const row = forLoop('$kh', 'i32.const 0', 'local.get $fh', 'i32.const 1', `
    local.get $oy  local.get $sh  i32.mul  local.get $kh  local.get $dh  i32.mul  i32.add  local.get $padTop  i32.sub  local.set $iy
    ${forLoop('$kw', 'i32.const 0', 'local.get $fw', 'i32.const 1', tap)}`);
  const pixels = forLoop('$oy', 'i32.const 0', 'local.get $outH', 'i32.const 1',
    forLoop('$ox', 'i32.const 0', 'local.get $outW', 'i32.const 1', row));
  return {
    name: 'scatterPatches',
    params: ['$dx', '$cols', ...PATCH_GEOMETRY],
    locals: i32Locals('$b', '$oy', '$ox', '$kh', '$kw', '$iy', '$ix', '$col', '$from', '$to', '$j', '$vecEnd', '$rowBytes', '$imageBytes', '$image'),
    source: `
      local.get $ch  i32.const -16  i32.and  local.set $vecEnd
      local.get $inW  local.get $ch  i32.mul  local.set $rowBytes
      local.get $inH  local.get $rowBytes  i32.mul  local.set $imageBytes
      local.get $cols  local.set $col
      ${forLoop('$b', 'i32.const 0', 'local.get $batch', 'i32.const 1', `
        local.get $dx  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.set $image
        ${pixels}`)}`,
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
      ${ADD_CHANNEL_RUN}
      ${inc('$from', 'local.get $ch')}`)}`,
};

export interface WasmLoops {
  /** Arguments: x, colsᵀ, then batch, inH, inW, channel bytes, outH, outW, fh, fw, sh, sw, dh, dw, padTop, padLeft. */
  gatherPatchesTransposed(...args: number[]): void;
  /** As gatherPatchesTransposed, with dx (zeroed by the caller) and cols ([N, K]). */
  scatterPatches(...args: number[]): void;
  /** Arguments: x, dy, dx, then batch, inH, inW, channel bytes, outH, outW, fh, fw, sh, sw, padTop, padLeft. */
  maxPoolGrad(...args: number[]): void;
  sumRows(src: number, dst: number, rows: number, channelBytes: number): void;
  /** dst[cols, rows] = src[rows, cols]ᵀ, sizes in floats. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

let bytes: Uint8Array<ArrayBuffer> | null | undefined;
let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, WasmLoops | null>();

/** The loops bound to the backend's memory, or null where they cannot run there. */
export function wasmLoopsFor(backend: unknown): WasmLoops | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (instances.has(memory)) return instances.get(memory) ?? null;
  if (bytes === undefined) {
    bytes = assembleModule([transposedGatherSource(), transposeSource(), scatterSource(), maxPoolGradSource(), SUM_ROWS]);
    if (!WebAssembly.validate(bytes)) bytes = null;
    else compiled = new WebAssembly.Module(bytes);
  }
  if (!compiled) return null;
  try {
    const loops = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as WasmLoops;
    instances.set(memory, loops);
    return loops;
  } catch {
    // The multi-threaded backend's memory is shared, which this module's import does not accept.
    instances.set(memory, null);
    return null;
  }
}
