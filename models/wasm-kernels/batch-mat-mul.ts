/**
 * BatchMatMul for the WebAssembly backend with transposed operands routed to the fast path.
 *
 * The backend multiplies untransposed operands with XNNPACK but falls back to a naive loop as soon
 * as `transposeA` or `transposeB` is set (10–15× slower at the sizes a dense layer's backward pass
 * produces, e.g. x[64,3136]ᵀ·dy[64,128]). Gradients of `matMul` always ask for one transposed
 * operand, so we transpose it explicitly with the backend's Transpose kernel (a memory-bound
 * copy) and call the backend's own kernel with both flags off.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Wraps the backend's BatchMatMul kernel function. */
export function fastTransposeBatchMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (!transpose) return original(args);
    const temporaries: TensorInfo[] = [];
    const materialise = (t: TensorInfo): TensorInfo => {
      const out = transpose.kernelFunc({
        inputs: { x: t },
        backend,
        attrs: { perm: swapLastTwo(t.shape.length) } as unknown as NamedAttrMap,
      }) as TensorInfo;
      temporaries.push(out);
      return out;
    };
    try {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      return original({
        inputs: { a: transposeA ? materialise(a) : a, b: transposeB ? materialise(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false } as unknown as NamedAttrMap,
      });
    } finally {
      for (const t of temporaries) (backend as unknown as WasmBackendLike).disposeData(t.dataId);
    }
  };
}

export function fastTransposeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  return { ...original, kernelFunc: fastTransposeBatchMatMul(original.kernelFunc) };
}
