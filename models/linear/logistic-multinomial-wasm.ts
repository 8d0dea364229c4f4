/**
 * The multinomial (softmax) objective for mid-sized dense tables (see createProblem) as a small
 * WebAssembly SIMD module with its own memory: the two products, the softmax and the residuals in
 * float32, four rows per vector, then the loss in float64 JavaScript from a few numbers per row.
 *
 * It replaces TensorFlow.js for these tables (logistic-multinomial-tf.ts stays as the fallback where
 * SIMD is missing). Its products were no faster there, but every evaluation went through half a dozen
 * engine calls (tensor creation, tidy, matMul, softmax, downloads), JavaScript that V8 only optimises
 * after a few hundred evaluations: a fit in a fresh process, which is what a run is, paid that
 * warm-up in full (digits: 62–92 ms against 34–40 ms warm). Here an evaluation is three calls into
 * WebAssembly and two short loops.
 *
 * Layout: rows go in blocks of four, one vector lane per row. The standardised design (plus the ones
 * column) is stored block by block, [block][column][lane]; logits, then residuals, [block][class][lane];
 * so a block's classes and a class's four rows both sit at fixed offsets, and the softmax of four rows
 * is plain vector arithmetic across the classes. The parameters are stored splatted (each value
 * repeated in four lanes), [column][class]. Rows past n (padding to a whole block) have weight 0.
 */
import type { Matrix } from '../frame';
import { assembleModule, forLoop, i32Locals, inc, V128, type FunctionSource } from '../kernels/wasm-kernels/wasm-assembler';

export interface FloatObjective {
  evaluate: (theta: Float64Array) => { loss: number; gradient: Float64Array };
  curvature: () => number;
  dispose: () => void;
}

/** Classes whose running sums one pass keeps in vector registers (x86-64 has 16). */
const GROUP = 12;
/** Bytes of the per-row outputs of one block: e^(z_y − max), Σ_{k≠y} e^(z_k − max), z_y − max, Σ p². */
const ROW_OUTPUT_BYTES = 64;

interface Kernels {
  logits(design: number, theta: number, z: number, blocks: number, width: number): void;
  softmax(z: number, labels: number, weights: number, out: number, blocks: number): void;
  gradient(design: number, z: number, sums: number, blocks: number, width: number): void;
}

const range = (count: number) => Array.from({ length: count }, (_, i) => i);
const classGroups = (K: number) => range(Math.ceil(K / GROUP)).map((g) => [g * GROUP, Math.min(GROUP, K - g * GROUP)]);
const sums = (count: number): [string, number][] => range(count).map((c) => [`$a${c}`, V128]);
const zeroSums = (count: number) => range(count).map((c) => `v128.zero  local.set $a${c}`).join('\n');
/** $a_c += $x · (vector at $pointer + (first + c)·16) for each class c of the group. */
const multiplyAdd = (first: number, count: number, pointer: string) =>
  range(count).map((c) => `local.get $a${c}  local.get $x  local.get ${pointer}  v128.load ${(first + c) * 16}  f32x4.mul  f32x4.add  local.set $a${c}`).join('\n');
const storeSums = (first: number, count: number, pointer: string) =>
  range(count).map((c) => `local.get ${pointer}  local.get $a${c}  v128.store ${(first + c) * 16}`).join('\n');

/** z[block][k] = Σ_j design[block][j] · θ[j][k]. */
function logitsSource(K: number): FunctionSource {
  const passes = classGroups(K).map(([first, count]) => `
    local.get $design  local.set $xp
    local.get $z  local.set $zp
    ${forLoop('$b', 'i32.const 0', 'local.get $blocks', 'i32.const 1', `
      ${zeroSums(count)}
      local.get $theta  local.set $tp
      ${forLoop('$j', 'i32.const 0', 'local.get $width', 'i32.const 1', `
        local.get $xp  v128.load 0  local.set $x
        ${multiplyAdd(first, count, '$tp')}
        ${inc('$xp', 'i32.const 16')}
        ${inc('$tp', `i32.const ${K * 16}`)}`)}
      ${storeSums(first, count, '$zp')}
      ${inc('$zp', `i32.const ${K * 16}`)}`)}`);
  return {
    name: 'logits',
    params: ['$design', '$theta', '$z', '$blocks', '$width'],
    locals: [...i32Locals('$b', '$j', '$xp', '$tp', '$zp'), ['$x', V128], ...sums(Math.min(K, GROUP))],
    source: passes.join('\n'),
  };
}

/** sums[j][k] (four partial sums) = Σ_blocks design[block][j] · residuals[block][k]. */
function gradientSource(K: number): FunctionSource {
  const passes = classGroups(K).map(([first, count]) => `
    local.get $design  local.set $column
    local.get $sums  local.set $gp
    ${forLoop('$j', 'i32.const 0', 'local.get $width', 'i32.const 1', `
      ${zeroSums(count)}
      local.get $column  local.set $xp
      local.get $z  local.set $zp
      ${forLoop('$b', 'i32.const 0', 'local.get $blocks', 'i32.const 1', `
        local.get $xp  v128.load 0  local.set $x
        ${multiplyAdd(first, count, '$zp')}
        ${inc('$xp', 'local.get $blockBytes')}
        ${inc('$zp', `i32.const ${K * 16}`)}`)}
      ${storeSums(first, count, '$gp')}
      ${inc('$gp', `i32.const ${K * 16}`)}
      ${inc('$column', 'i32.const 16')}`)}`);
  return {
    name: 'gradient',
    params: ['$design', '$z', '$sums', '$blocks', '$width'],
    locals: [...i32Locals('$b', '$j', '$xp', '$zp', '$gp', '$column', '$blockBytes'), ['$x', V128], ...sums(Math.min(K, GROUP))],
    source: `local.get $width  i32.const 16  i32.mul  local.set $blockBytes\n${passes.join('\n')}`,
  };
}

/**
 * e^$t for $t ≤ 0 (Cephes' expf: 2^n · a degree-7 polynomial on |r| ≤ ln2/2, about 1 ulp), with
 * $t clamped at −87.3 so that 2^n stays a normal float; exactly 1 at 0.
 */
const EXP = `
  local.get $t  f32.const -87.3  f32x4.splat  f32x4.pmax  local.set $t
  local.get $t  f32.const 1.4426950408889634  f32x4.splat  f32x4.mul  f32x4.nearest  local.set $n
  local.get $t  local.get $n  f32.const 0.693359375  f32x4.splat  f32x4.mul  f32x4.sub
  local.get $n  f32.const -2.12194440e-4  f32x4.splat  f32x4.mul  f32x4.sub  local.set $r
  f32.const 1.9875691500e-4  f32x4.splat  local.get $r  f32x4.mul  f32.const 1.3981999507e-3  f32x4.splat  f32x4.add
  local.get $r  f32x4.mul  f32.const 8.3334519073e-3  f32x4.splat  f32x4.add
  local.get $r  f32x4.mul  f32.const 4.1665795894e-2  f32x4.splat  f32x4.add
  local.get $r  f32x4.mul  f32.const 1.6666665459e-1  f32x4.splat  f32x4.add
  local.get $r  f32x4.mul  f32.const 5.0000001201e-1  f32x4.splat  f32x4.add
  local.get $r  f32x4.mul  local.get $r  f32x4.mul  local.get $r  f32x4.add  f32.const 1  f32x4.splat  f32x4.add
  local.get $n  i32x4.trunc_sat_f32x4_s  i32.const 127  i32x4.splat  i32x4.add  i32.const 23  i32x4.shl
  f32x4.mul`;

/**
 * Per block: softmax over the classes, residuals w·(p − onehot) over the logits, and the row
 * outputs the loss and the curvature are taken from. The classes go in a loop ($kp walks them,
 * $class holds k in every lane), so the module stays small for any class count.
 */
function softmaxSource(K: number): FunctionSource {
  const overClasses = (from: number, body: string) => `
    local.get $zp  i32.const ${from * 16}  i32.add  local.set $kp
    i32.const ${from}  i32x4.splat  local.set $class
    ${forLoop('$k', `i32.const ${from}`, `i32.const ${K}`, 'i32.const 1', `
      ${body}
      ${inc('$kp', 'i32.const 16')}
      local.get $class  i32.const 1  i32x4.splat  i32x4.add  local.set $class`)}`;
  const top = overClasses(1, 'local.get $max  local.get $kp  v128.load 0  f32x4.pmax  local.set $max');
  const exps = overClasses(0, `
    local.get $kp  v128.load 0  local.get $max  f32x4.sub  local.tee $t
    local.get $shift  local.get $label  local.get $class  i32x4.eq  local.tee $mask  v128.bitselect  local.set $shift
    ${EXP}  local.set $e
    local.get $kp  local.get $e  v128.store 0
    local.get $total  local.get $e  f32x4.add  local.set $total
    local.get $e  local.get $own  local.get $mask  v128.bitselect  local.set $own
    local.get $others  local.get $e  local.get $mask  v128.andnot  f32x4.add  local.set $others`);
  const residuals = overClasses(0, `
    local.get $kp  v128.load 0  local.get $total  f32x4.div  local.tee $p
    local.get $p  f32x4.mul  local.get $squares  f32x4.add  local.set $squares
    local.get $kp
    local.get $w  local.get $p  f32x4.mul  local.get $w  local.get $label  local.get $class  i32x4.eq  v128.and  f32x4.sub
    v128.store 0`);
  const outputs = ['$own', '$others', '$shift', '$squares'].map((v, q) => `local.get $op  local.get ${v}  v128.store ${q * 16}`);
  const zeros = ['$total', '$own', '$others', '$shift', '$squares'].map((v) => `v128.zero  local.set ${v}`);
  return {
    name: 'softmax',
    params: ['$z', '$labels', '$weights', '$out', '$blocks'],
    locals: [
      ...i32Locals('$b', '$k', '$zp', '$kp', '$lp', '$wp', '$op'),
      ...['$label', '$class', '$w', '$max', '$t', '$n', '$r', '$e', '$p', '$mask', '$total', '$own', '$others', '$shift', '$squares'].map((v): [string, number] => [v, V128]),
    ],
    source: `
      local.get $z  local.set $zp
      local.get $labels  local.set $lp
      local.get $weights  local.set $wp
      local.get $out  local.set $op
      ${forLoop('$b', 'i32.const 0', 'local.get $blocks', 'i32.const 1', `
        local.get $lp  v128.load 0  local.set $label
        local.get $wp  v128.load 0  local.set $w
        local.get $zp  v128.load 0  local.set $max
        ${top}
        ${zeros.join('\n')}
        ${exps}
        ${residuals}
        ${outputs.join('\n')}
        ${inc('$zp', `i32.const ${K * 16}`)}
        ${inc('$lp', 'i32.const 16')}
        ${inc('$wp', 'i32.const 16')}
        ${inc('$op', `i32.const ${ROW_OUTPUT_BYTES}`)}`)}`,
  };
}

/** One module per class count (its loops are unrolled over the classes); null where SIMD is missing. */
const modules = new Map<number, WebAssembly.Module | null>();

function moduleFor(K: number): WebAssembly.Module | null {
  if (!modules.has(K)) {
    let compiled: WebAssembly.Module | null = null;
    try {
      const bytes = assembleModule([logitsSource(K), softmaxSource(K), gradientSource(K)]);
      if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
    modules.set(K, compiled);
  }
  return modules.get(K) ?? null;
}

/**
 * The objective on (X − means)/scales plus a ones column, or null where WebAssembly SIMD is missing.
 * θ and the gradient are width × K row-major, intercept row last, as in logistic-multinomial.ts.
 */
export function multinomialObjectiveInWasm(X: Matrix, y: Int32Array, K: number, weights: Float32Array, means: Float64Array, scales: Float64Array): FloatObjective | null {
  const compiled = moduleFor(K);
  if (!compiled) return null;
  const n = X.rows;
  const width = X.cols + 1;
  const blocks = Math.ceil(n / 4);
  // Byte offsets, all multiples of 16.
  const design = 0;
  const theta = design + blocks * width * 16;
  const z = theta + width * K * 16;
  const labels = z + blocks * K * 16;
  const rowWeights = labels + blocks * 16;
  const out = rowWeights + blocks * 16;
  const partialSums = out + blocks * ROW_OUTPUT_BYTES;
  const bytes = partialSums + width * K * 16;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Kernels;
  const heap = new Float32Array(memory.buffer);
  writeDesign(X, means, scales, heap.subarray(design / 4, theta / 4));
  new Int32Array(memory.buffer, labels, n).set(y.subarray(0, n));
  heap.set(weights.subarray(0, n), rowWeights / 4);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i];
  // The mean of p(1 − p) at θ = 0, where every class is equally likely.
  let curvature = (1 / K) * (1 - 1 / K);

  const evaluate = (parameters: Float64Array) => {
    for (let index = 0, at = theta / 4; index < width * K; index++, at += 4) {
      const value = parameters[index];
      heap[at] = value;
      heap[at + 1] = value;
      heap[at + 2] = value;
      heap[at + 3] = value;
    }
    kernels.logits(design, theta, z, blocks, width);
    kernels.softmax(z, labels, rowWeights, out, blocks);
    kernels.gradient(design, z, partialSums, blocks, width);
    let loss = 0;
    let curvatureSum = 0;
    for (let i = 0; i < n; i++) {
      const at = out / 4 + (i >> 2) * 16 + (i & 3);
      const own = heap[at];
      const others = heap[at + 4];
      const w = weights[i];
      // −log p_y, through log1p when the row is sure of its class so that it keeps its relative
      // accuracy; through the shifted logit when e^(z_y − max) underflowed float32.
      loss += w * (own >= others ? Math.log1p(others / own) : Math.log(own + others) - heap[at + 8]);
      // Σ p(1 − p) = 1 − Σ p².
      curvatureSum += w * (1 - heap[at + 12]);
    }
    curvature = curvatureSum / (K * totalWeight);
    const gradient = new Float64Array(width * K);
    for (let index = 0, at = partialSums / 4; index < width * K; index++, at += 4) {
      gradient[index] = heap[at] + heap[at + 1] + heap[at + 2] + heap[at + 3];
    }
    return { loss, gradient };
  };
  // The memory goes with the closure; nothing outlives the fit.
  return { evaluate, curvature: () => curvature, dispose: () => {} };
}

/**
 * (X − means)/scales and a ones column into `to`, [block of four rows][column][row in block];
 * padding rows stay 0. Plain loops, no closures: this runs once per fit, mostly before V8 has
 * optimised it, and a closure made per call is a new call target each time (a deoptimisation).
 */
function writeDesign(X: Matrix, means: Float64Array, scales: Float64Array, to: Float32Array): void {
  const { rows: n, cols: p, columns } = X;
  const blockStride = (p + 1) * 4;
  const data = columns ? null : X.data;
  for (let j = 0; j < p; j++) {
    const mean = means[j];
    const inverseScale = 1 / scales[j];
    if (columns) {
      const column = columns[j];
      for (let i = 0; i < n; i++) to[(i >> 2) * blockStride + j * 4 + (i & 3)] = (column[i] - mean) * inverseScale;
    } else {
      const values = data as Float64Array;
      for (let i = 0, from = j; i < n; i++, from += p) to[(i >> 2) * blockStride + j * 4 + (i & 3)] = (values[from] - mean) * inverseScale;
    }
  }
  for (let i = 0; i < n; i++) to[(i >> 2) * blockStride + p * 4 + (i & 3)] = 1;
}
