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
import { F64, I64 } from '../kernels/wasm-assembler';
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
  rowLoss(out: number, weights: number, n: number, result: number): void;
  splat(from: number, to: number, count: number): void;
  sumLanes(from: number, to: number, count: number): void;
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

/**
 * log $x for 1 ≤ $x < 2^1023 (fdlibm's __ieee754_log: $x = 2^k·m with √½ < m ≤ √2, then
 * log m = 2·atanh(f/(2 + f)) by a polynomial; under 1 ulp), left on the stack.
 */
const LOG = `
  local.get $x  i64.reinterpret_f64  local.tee $bits  i64.const 52  i64.shr_u  i32.wrap_i64  i32.const 1023  i32.sub  local.set $exponent
  local.get $bits  i64.const -1  i64.const 12  i64.shr_u  i64.and  i64.const 1023  i64.const 52  i64.shl  i64.or  f64.reinterpret_i64  local.set $m
  local.get $m  f64.const 1.4142135623730951  f64.gt
  if
    local.get $m  f64.const 0.5  f64.mul  local.set $m
    local.get $exponent  i32.const 1  i32.add  local.set $exponent
  end
  local.get $exponent  f64.convert_i32_s  local.set $k
  local.get $m  f64.const 1  f64.sub  local.tee $f
  local.get $f  f64.const 2  f64.add  f64.div  local.tee $s
  local.get $s  f64.mul  local.tee $z  local.get $z  f64.mul  local.set $w4
  local.get $w4  f64.const 1.531383769920937332e-1  f64.mul  f64.const 2.222219843214978396e-1  f64.add
  local.get $w4  f64.mul  f64.const 3.999999999940941908e-1  f64.add  local.get $w4  f64.mul
  local.get $w4  f64.const 1.479819860511658591e-1  f64.mul  f64.const 1.818357216161805012e-1  f64.add
  local.get $w4  f64.mul  f64.const 2.857142874366239149e-1  f64.add
  local.get $w4  f64.mul  f64.const 6.666666666666735130e-1  f64.add  local.get $z  f64.mul
  f64.add  local.set $poly
  f64.const 0.5  local.get $f  f64.mul  local.get $f  f64.mul  local.set $half
  local.get $k  f64.const 6.93147180369123816490e-1  f64.mul
  local.get $half
  local.get $s  local.get $half  local.get $poly  f64.add  f64.mul  local.get $k  f64.const 1.90821492927058770002e-10  f64.mul  f64.add
  f64.sub  local.get $f  f64.sub  f64.sub`;

/**
 * The loss Σ wᵢ·(−log p_yᵢ) and Σ wᵢ·(1 − Σ p²) over the first n rows, in float64, from the row
 * outputs of softmax; stored as two float64 at $result. −log p_y is log1p(others/own) when the row
 * is sure of its class (log1p(r) = r·log(u)/(u − 1), u = 1 + r: a few ulp however small r is), and
 * log(own + others) − (z_y − max) otherwise, which stays finite when own underflowed float32.
 */
const ROW_LOSS: FunctionSource = {
  name: 'rowLoss',
  params: ['$out', '$weights', '$n', '$result'],
  locals: [
    ...i32Locals('$i', '$at', '$exponent'),
    ['$bits', I64],
    ...['$own', '$others', '$ratio', '$term', '$loss', '$curvature', '$x', '$m', '$k', '$f', '$s', '$z', '$w4', '$poly', '$half'].map((v): [string, number] => [v, F64]),
  ],
  source: `
    ${forLoop('$i', 'i32.const 0', 'local.get $n', 'i32.const 1', `
      local.get $out  local.get $i  i32.const 2  i32.shr_u  i32.const ${ROW_OUTPUT_BYTES}  i32.mul  i32.add
      local.get $i  i32.const 3  i32.and  i32.const 4  i32.mul  i32.add  local.set $at
      local.get $at  f32.load 0  f64.promote_f32  local.set $own
      local.get $at  f32.load 16  f64.promote_f32  local.set $others
      local.get $own  local.get $others  f64.ge
      if
        local.get $others  local.get $own  f64.div  local.tee $ratio  f64.const 1  f64.add  local.set $x
        local.get $ratio  local.set $term
        local.get $x  f64.const 1  f64.eq  i32.eqz
        if
          ${LOG}  local.get $ratio  f64.mul  local.get $x  f64.const 1  f64.sub  f64.div  local.set $term
        end
      else
        local.get $own  local.get $others  f64.add  local.set $x
        ${LOG}  local.get $at  f32.load 32  f64.promote_f32  f64.sub  local.set $term
      end
      local.get $weights  local.get $i  i32.const 4  i32.mul  i32.add  f32.load 0  f64.promote_f32  local.tee $x
      local.get $term  f64.mul  local.get $loss  f64.add  local.set $loss
      local.get $x  f64.const 1  local.get $at  f32.load 48  f64.promote_f32  f64.sub  f64.mul  local.get $curvature  f64.add  local.set $curvature`)}
    local.get $result  local.get $loss  f64.store 0
    local.get $result  local.get $curvature  f64.store 8`,
};

/** θ (float64) rounded to float32 and splatted into four lanes each. */
const SPLAT: FunctionSource = {
  name: 'splat',
  params: ['$from', '$to', '$count'],
  locals: i32Locals('$i'),
  source: forLoop('$i', 'i32.const 0', 'local.get $count', 'i32.const 1', `
    local.get $to  local.get $i  i32.const 16  i32.mul  i32.add
    local.get $from  local.get $i  i32.const 8  i32.mul  i32.add  f64.load 0  f32.demote_f64  f32x4.splat
    v128.store 0`),
};

/** Each four-lane partial sum of the gradient added up in float64, lane 0 first. */
const SUM_LANES: FunctionSource = {
  name: 'sumLanes',
  params: ['$from', '$to', '$count'],
  locals: i32Locals('$i', '$at'),
  source: forLoop('$i', 'i32.const 0', 'local.get $count', 'i32.const 1', `
    local.get $from  local.get $i  i32.const 16  i32.mul  i32.add  local.set $at
    local.get $to  local.get $i  i32.const 8  i32.mul  i32.add
    local.get $at  f32.load 0  f64.promote_f32  local.get $at  f32.load 4  f64.promote_f32  f64.add
    local.get $at  f32.load 8  f64.promote_f32  f64.add  local.get $at  f32.load 12  f64.promote_f32  f64.add
    f64.store 0`),
};

/** One module per class count (its loops are unrolled over the classes); null where SIMD is missing. */
const modules = new Map<number, WebAssembly.Module | null>();

function moduleFor(K: number): WebAssembly.Module | null {
  if (!modules.has(K)) {
    let compiled: WebAssembly.Module | null = null;
    try {
      const bytes = assembleModule([logitsSource(K), softmaxSource(K), gradientSource(K), ROW_LOSS, SPLAT, SUM_LANES]);
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
  const size = width * K;
  // Byte offsets, all multiples of 16.
  const design = 0;
  const theta = design + blocks * width * 16;
  const z = theta + size * 16;
  const labels = z + blocks * K * 16;
  const rowWeights = labels + blocks * 16;
  const out = rowWeights + blocks * 16;
  const partialSums = out + blocks * ROW_OUTPUT_BYTES;
  const theta64 = partialSums + size * 16;
  const gradient64 = theta64 + 16 * Math.ceil(size / 2);
  const result = gradient64 + 16 * Math.ceil(size / 2);
  const bytes = result + 16;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Kernels;
  const heap = new Float32Array(memory.buffer);
  const heap64 = new Float64Array(memory.buffer);
  writeDesign(X, means, scales, heap.subarray(design / 4, theta / 4));
  new Int32Array(memory.buffer, labels, n).set(y.subarray(0, n));
  heap.set(weights.subarray(0, n), rowWeights / 4);
  const totalWeight = weights.subarray(0, n).reduce((sum, w) => sum + w, 0);
  // The mean of p(1 − p) at θ = 0, where every class is equally likely.
  let curvature = (1 / K) * (1 - 1 / K);

  // No loop in JavaScript here: V8 optimises loops only after a few hundred evaluations, and a run
  // fits once per process (the loss's loop alone took 10–50 ms of the first 140 evaluations).
  const evaluate = (parameters: Float64Array) => {
    heap64.set(parameters, theta64 / 8);
    kernels.splat(theta64, theta, size);
    kernels.logits(design, theta, z, blocks, width);
    kernels.softmax(z, labels, rowWeights, out, blocks);
    kernels.gradient(design, z, partialSums, blocks, width);
    kernels.rowLoss(out, rowWeights, n, result);
    kernels.sumLanes(partialSums, gradient64, size);
    curvature = heap64[result / 8 + 1] / (K * totalWeight);
    return { loss: heap64[result / 8], gradient: heap64.slice(gradient64 / 8, gradient64 / 8 + size) };
  };
  // The memory goes with the closure; nothing outlives the fit.
  return { evaluate, curvature: () => curvature, dispose: () => {} };
}

/**
 * (X − means)/scales and a ones column into `to`, [block of four rows][column][row in block];
 * padding rows stay 0. This runs once per fit, so its loops live in small functions of their own
 * that V8 optimises whole after a few columns: loops compiled on the stack (one long function)
 * were thrown away at the next loop that had not run yet, once per fit.
 */
function writeDesign(X: Matrix, means: Float64Array, scales: Float64Array, to: Float32Array): void {
  const { rows: n, cols: p, columns } = X;
  const blockStride = (p + 1) * 4;
  for (let j = 0; j < p; j++) {
    const source = columns ? columns[j] : X.data;
    writeColumn(to, j * 4, blockStride, source, columns ? 0 : j, columns ? 1 : p, n, means[j], 1 / scales[j]);
  }
  writeOnes(to, p * 4, blockStride, n);
}

function writeColumn(to: Float32Array, first: number, blockStride: number, values: Float64Array, from: number, step: number, n: number, mean: number, inverseScale: number): void {
  for (let i = 0, at = from; i < n; i++, at += step) to[(i >> 2) * blockStride + first + (i & 3)] = (values[at] - mean) * inverseScale;
}

function writeOnes(to: Float32Array, first: number, blockStride: number, n: number): void {
  for (let i = 0; i < n; i++) to[(i >> 2) * blockStride + first + (i & 3)] = 1;
}
