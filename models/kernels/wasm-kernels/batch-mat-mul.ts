/**
 * BatchMatMul for the WebAssembly backend with transposed operands routed to the fast path.
 *
 * The backend multiplies untransposed operands with XNNPACK but falls back to a naive loop as soon
 * as `transposeA` or `transposeB` is set (10–15× slower at the sizes a dense layer's backward pass
 * produces, e.g. x[64,3136]ᵀ·dy[64,128]). Gradients of `matMul` always ask for one transposed
 * operand, so we transpose it explicitly and call the backend's own kernel with both flags off.
 *
 * XNNPACK repacks the second operand on every call (the first is read as it is), which costs more
 * than the product when that operand is large. A dense layer's input gradient dy[64,128]·Wᵀ would
 * repack all of W, so a single product A·Bᵀ with B much larger than A and the result is computed
 * as (B·Aᵀ)ᵀ instead: the repacked operand is then the small Aᵀ, at the price of transposing the
 * result.
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { asShape, callKernel, transpose2d, type WasmBackendLike } from './backend-access';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

const size = (t: TensorInfo) => t.shape.reduce((p, v) => p * v, 1);
/** A single float32 matrix, possibly with leading dimensions of 1. */
const isMatrix = (t: TensorInfo) => t.dtype === 'float32' && t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1);
const lastTwo = (t: TensorInfo): [number, number] => [t.shape[t.shape.length - 2], t.shape[t.shape.length - 1]];

type Product = (a: TensorInfo, b: TensorInfo) => TensorInfo;

/** a·b with either flag set, both operands single matrices; `temporaries` collects what to dispose. */
function matrixProduct(wasm: WasmBackendLike, a: TensorInfo, b: TensorInfo, flags: [boolean, boolean], product: Product, temporaries: TensorInfo[]): TensorInfo {
  const [transposeA, transposeB] = flags;
  const [ra, ca] = lastTwo(a);
  const [rb, cb] = lastTwo(b);
  const m = transposeA ? ca : ra;
  const n = transposeB ? rb : cb;
  const outer = (a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2);
  const keep = (t: TensorInfo) => (temporaries.push(t), t);
  if (transposeB && !transposeA && size(b) > size(a) + m * n) {
    const swapped = keep(product(asShape(b, [rb, cb]), keep(transpose2d(wasm, a, ra, ca))));
    return asShape(transpose2d(wasm, swapped, n, m), [...outer, m, n]);
  }
  const left = transposeA ? keep(transpose2d(wasm, a, ra, ca)) : asShape(a, [ra, ca]);
  const right = transposeB ? keep(transpose2d(wasm, b, rb, cb)) : asShape(b, [rb, cb]);
  return asShape(product(left, right), [...outer, m, n]);
}

/** Wraps the backend's BatchMatMul kernel function. */
export function fastTransposeBatchMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const noFlags = { ...attrs, transposeA: false, transposeB: false } as unknown as NamedAttrMap;
    const product: Product = (a, b) => original({ inputs: { a, b }, backend, attrs: noFlags }) as TensorInfo;
    const wasm = backend as unknown as WasmBackendLike;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const temporaries: TensorInfo[] = [];
    const materialise = (t: TensorInfo): TensorInfo => {
      const out = callKernel('Transpose', backend, { x: t }, { perm: swapLastTwo(t.shape.length) });
      temporaries.push(out);
      return out;
    };
    try {
      if (isMatrix(a) && isMatrix(b)) return matrixProduct(wasm, a, b, [transposeA, transposeB], product, temporaries);
      return product(transposeA ? materialise(a) : a, transposeB ? materialise(b) : b);
    } finally {
      for (const t of temporaries) wasm.disposeData(t.dataId);
    }
  };
}

export function fastTransposeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  return { ...original, kernelFunc: fastTransposeBatchMatMul(original.kernelFunc) };
}
