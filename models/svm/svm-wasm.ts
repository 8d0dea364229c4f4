/**
 * The loops that dominate support vector training, one kernel row at a time, as a few small
 * WebAssembly functions: SIMD dot products (plain JavaScript pays a bounds check per load and
 * has no vector registers) and an inlined exp, whose builtin call costs as much as the dot
 * product itself. Together they run several times faster than the JavaScript loop.
 *
 * The module is assembled here from the text below, so the source of truth stays readable and
 * no binary is checked in. Where WebAssembly SIMD is unavailable `loadRowKernels` returns null
 * and callers use their plain JavaScript loop.
 */
import { F64, I32, V128, WasmProgram, type FunctionSource } from './svm-wasm-assembler';

/**
 * dots(x, d, i, start, end, out): out[j − start] = Σ_k x[i·d + k]·x[j·d + k] for j in
 * [start, end). Pointers are byte offsets into memory; rows are float64, d per row.
 * Locals: 6 a, 7 b, 8 k, 9 j, 10 rowBytes, 11 vectorBytes, 12 o (i32); 13 sum (f64);
 * 14, 15 two f64x2 accumulators so consecutive multiply-adds do not wait on each other.
 */
const DOTS_SOURCE = `
  local.get 1  i32.const 3  i32.shl  local.set 10
  local.get 1  i32.const -4  i32.and  i32.const 3  i32.shl  local.set 11
  local.get 0  local.get 2  local.get 10  i32.mul  i32.add  local.set 6
  local.get 0  local.get 3  local.get 10  i32.mul  i32.add  local.set 7
  local.get 5  local.set 12
  local.get 3  local.set 9
  block
    loop
      local.get 9  local.get 4  i32.ge_s  br_if 1
      v128.zero  local.set 14
      v128.zero  local.set 15
      i32.const 0  local.set 8
      block
        loop
          local.get 8  local.get 11  i32.ge_s  br_if 1
          local.get 14
          local.get 6  local.get 8  i32.add  v128.load 0
          local.get 7  local.get 8  i32.add  v128.load 0
          f64x2.mul  f64x2.add  local.set 14
          local.get 15
          local.get 6  local.get 8  i32.add  v128.load 16
          local.get 7  local.get 8  i32.add  v128.load 16
          f64x2.mul  f64x2.add  local.set 15
          local.get 8  i32.const 32  i32.add  local.set 8
          br 0
        end
      end
      local.get 14  local.get 15  f64x2.add  local.tee 14
      f64x2.extract_lane 0  local.get 14  f64x2.extract_lane 1  f64.add  local.set 13
      block
        loop
          local.get 8  local.get 10  i32.ge_s  br_if 1
          local.get 13
          local.get 6  local.get 8  i32.add  f64.load 0
          local.get 7  local.get 8  i32.add  f64.load 0
          f64.mul  f64.add  local.set 13
          local.get 8  i32.const 8  i32.add  local.set 8
          br 0
        end
      end
      local.get 12  local.get 13  f64.store 0
      local.get 12  i32.const 8  i32.add  local.set 12
      local.get 7  local.get 10  i32.add  local.set 7
      local.get 9  i32.const 1  i32.add  local.set 9
      br 0
    end
  end
`;

/**
 * Instructions that push exp(z) for z ≤ 0 held in local `z`, using locals `m` and `r` as
 * scratch: exp(z) = 2^m·e^r with m = round(z / ln 2) and |r| ≤ ln 2 / 2, where the Taylor
 * series to r¹¹ is accurate to 1e-14 (float32 kernel rows keep 7 digits). Inputs below −708
 * are clamped there by the callers, which keeps 2^m a normal double.
 */
const expOfLocal = (z: number, m: number, r: number) => `
  local.get ${z}  f64.const 1.4426950408889634  f64.mul  f64.nearest  local.set ${m}
  local.get ${z}  local.get ${m}  f64.const 0.6931471803691238  f64.mul  f64.sub
  local.get ${m}  f64.const 1.9082149292705877e-10  f64.mul  f64.sub  local.set ${r}
  f64.const 2.505210838544172e-8
  local.get ${r}  f64.mul  f64.const 2.755731922398589e-7  f64.add
  local.get ${r}  f64.mul  f64.const 2.7557319223985893e-6  f64.add
  local.get ${r}  f64.mul  f64.const 2.48015873015873e-5  f64.add
  local.get ${r}  f64.mul  f64.const 1.984126984126984e-4  f64.add
  local.get ${r}  f64.mul  f64.const 1.388888888888889e-3  f64.add
  local.get ${r}  f64.mul  f64.const 8.333333333333333e-3  f64.add
  local.get ${r}  f64.mul  f64.const 4.1666666666666664e-2  f64.add
  local.get ${r}  f64.mul  f64.const 0.16666666666666666  f64.add
  local.get ${r}  f64.mul  f64.const 0.5  f64.add
  local.get ${r}  f64.mul  f64.const 1  f64.add
  local.get ${r}  f64.mul  f64.const 1  f64.add
  local.get ${m}  i64.trunc_f64_s  i64.const 1023  i64.add  i64.const 52  i64.shl  f64.reinterpret_i64
  f64.mul
`;

/** Instructions that push the float64 at array pointer `array` + 8·index, index in local `index`. */
const loadF64 = (array: number, index: number) =>
  `local.get ${array}  local.get ${index}  i32.const 3  i32.shl  i32.add  f64.load 0`;

/** Instructions that add `step` to the i32 local `local`. */
const increment = (local: number, step = 1) => `local.get ${local}  i32.const ${step}  i32.add  local.set ${local}`;

/**
 * signedRbf(i, start, end, gamma, norms, signs, dots, out): out[k] = float32(s_i·s_j·
 * exp(−gamma·(n_i + n_j − 2·dots[k]))) for j = start + k < end, with n the squared row norms
 * and s the ±1 labels, all float64 arrays (libsvm's order of operations).
 * Locals: 8 j, 9 k (i32); 10 n_i, 11 s_i, 12 z, 13 m, 14 r (f64).
 */
const SIGNED_RBF_SOURCE = `
  ${loadF64(4, 0)}  local.set 10
  ${loadF64(5, 0)}  local.set 11
  local.get 1  local.set 8
  i32.const 0  local.set 9
  block
    loop
      local.get 8  local.get 2  i32.ge_s  br_if 1
      local.get 3  f64.neg
      local.get 10  ${loadF64(4, 8)}  f64.add  f64.const 2  ${loadF64(6, 9)}  f64.mul  f64.sub
      f64.mul  f64.const -708  f64.max  local.set 12
      local.get 7  local.get 9  i32.const 2  i32.shl  i32.add
      local.get 11  ${loadF64(5, 8)}  f64.mul
      ${expOfLocal(12, 13, 14)}
      f64.mul  f32.demote_f64  f32.store 0
      ${increment(8)}
      ${increment(9)}
      br 0
    end
  end
`;

/**
 * signedLinear(i, start, end, signs, dots, out): out[k] = float32(s_i·s_j·dots[k]).
 * Locals: 6 j, 7 k.
 */
const SIGNED_LINEAR_SOURCE = `
  local.get 1  local.set 6
  i32.const 0  local.set 7
  block
    loop
      local.get 6  local.get 2  i32.ge_s  br_if 1
      local.get 5  local.get 7  i32.const 2  i32.shl  i32.add
      ${loadF64(3, 0)}  ${loadF64(3, 6)}  f64.mul  ${loadF64(4, 7)}  f64.mul
      f32.demote_f64  f32.store 0
      ${increment(6)}
      ${increment(7)}
      br 0
    end
  end
`;

/**
 * rbfValues(count, gamma, norms, q, dots, out): out[k] = exp(−gamma·(n_q + n_k − 2·dots[k]))
 * for k < count, as float64: the kernel between a query row q and each support vector.
 * Locals: 6 k (i32); 7 n_q, 8 z, 9 m, 10 r (f64).
 */
const RBF_VALUES_SOURCE = `
  ${loadF64(2, 3)}  local.set 7
  i32.const 0  local.set 6
  block
    loop
      local.get 6  local.get 0  i32.ge_s  br_if 1
      local.get 1  f64.neg
      local.get 7  ${loadF64(2, 6)}  f64.add  f64.const 2  ${loadF64(4, 6)}  f64.mul  f64.sub
      f64.mul  f64.const -708  f64.max  local.set 8
      local.get 5  local.get 6  i32.const 3  i32.shl  i32.add
      ${expOfLocal(8, 9, 10)}
      f64.store 0
      ${increment(6)}
      br 0
    end
  end
`;

const FUNCTIONS: FunctionSource[] = [
  { name: 'dots', params: [I32, I32, I32, I32, I32, I32], locals: [[7, I32], [1, F64], [2, V128]], source: DOTS_SOURCE },
  {
    name: 'signedRbf',
    params: [I32, I32, I32, F64, I32, I32, I32, I32],
    locals: [[2, I32], [5, F64]],
    source: SIGNED_RBF_SOURCE,
  },
  { name: 'signedLinear', params: [I32, I32, I32, I32, I32, I32], locals: [[2, I32]], source: SIGNED_LINEAR_SOURCE },
  { name: 'rbfValues', params: [I32, F64, I32, I32, I32, I32], locals: [[1, I32], [4, F64]], source: RBF_VALUES_SOURCE },
];

const program = new WasmProgram(FUNCTIONS);

/**
 * Rows, their squared norms and ±1 labels kept in WebAssembly memory. The arrays are writable
 * views: the solver reorders rows in place, and must move all three together.
 */
export interface RowKernels {
  x: Float64Array;
  squaredNorms: Float64Array;
  signs: Float64Array;
  /**
   * Entries j in [start, end) of row i of Q = s_i·s_j·K(x_i, x_j) as float32, valid until the
   * next call (RBF when gamma > 0, linear otherwise).
   */
  signedKernelRow(i: number, start: number, end: number, gamma: number): Float32Array;
  /** Hands the memory back for reuse; the views must not be touched afterwards. */
  release(): void;
}

/** Memory for `rows` × `cols` doubles and their row results; null where WebAssembly SIMD is unavailable. */
export function loadRowKernels(rows: number, cols: number): RowKernels | null {
  const layout = { x: 0, norms: rows * cols * 8, signs: (rows * cols + rows) * 8, dots: (rows * cols + 2 * rows) * 8 };
  const out = layout.dots + rows * 8;
  const workspace = program.acquire(out + rows * 4);
  if (!workspace) return null;
  const { buffer } = workspace.memory;
  const { dots, signedRbf, signedLinear } = workspace.exports;
  const results = new Float32Array(buffer, out, rows);
  return {
    x: new Float64Array(buffer, layout.x, rows * cols),
    squaredNorms: new Float64Array(buffer, layout.norms, rows),
    signs: new Float64Array(buffer, layout.signs, rows),
    signedKernelRow(i, start, end, gamma) {
      dots(layout.x, cols, i, start, end, layout.dots);
      if (gamma > 0) signedRbf(i, start, end, gamma, layout.norms, layout.signs, layout.dots, out);
      else signedLinear(i, start, end, layout.signs, layout.dots, out);
      return results.subarray(0, end - start);
    },
    release: () => program.release(workspace),
  };
}

export interface SupportVectorKernels {
  /** K(x, s) for the row x at source[offset ..] and every support vector s, valid until the next call. */
  evaluate(source: Float64Array, offset: number): Float64Array;
  release(): void;
}

/**
 * Kernel values against a fixed set of support vectors, for decision values. The query row is
 * copied in after the support vectors so the same dot-product routine serves both. RBF uses
 * squared norms (‖x‖² + ‖s‖² − 2⟨x, s⟩) rather than summed differences; on standardised-scale
 * data the two agree to about 1e-15. Null where WebAssembly SIMD is unavailable.
 */
export function loadSupportVectorKernels(
  supportVectors: Float64Array,
  count: number,
  cols: number,
  gamma: number,
): SupportVectorKernels | null {
  const layout = { x: 0, norms: (count + 1) * cols * 8, dots: (count + 1) * (cols + 1) * 8 };
  const out = layout.dots + count * 8;
  const workspace = program.acquire(out + count * 8);
  if (!workspace) return null;
  const { buffer } = workspace.memory;
  const { dots, rbfValues } = workspace.exports;
  const x = new Float64Array(buffer, layout.x, (count + 1) * cols);
  const norms = new Float64Array(buffer, layout.norms, count + 1);
  x.set(supportVectors.subarray(0, count * cols));
  for (let s = 0; s < count; s++) {
    let sum = 0;
    for (let k = s * cols; k < (s + 1) * cols; k++) sum += x[k] * x[k];
    norms[s] = sum;
  }
  const dotResults = new Float64Array(buffer, layout.dots, count);
  const rbfResults = new Float64Array(buffer, out, count);
  return {
    evaluate(source, offset) {
      let sum = 0;
      for (let k = 0; k < cols; k++) {
        const value = source[offset + k];
        x[count * cols + k] = value;
        sum += value * value;
      }
      norms[count] = sum;
      dots(layout.x, cols, count, 0, count, layout.dots);
      if (gamma <= 0) return dotResults;
      rbfValues(count, gamma, layout.norms, count, layout.dots, out);
      return rbfResults;
    },
    release: () => program.release(workspace),
  };
}
