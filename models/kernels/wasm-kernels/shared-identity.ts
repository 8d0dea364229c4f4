/**
 * Identity, and Cast to the dtype a tensor already has, for the WebAssembly backend without the
 * copy. The backend copies the data for both, and the engine calls Identity to keep every tensor a
 * gradient will need: on the reference CNN that is three copies of each [64, 26, 26, 32] activation
 * per training step, and the relu gradient casts a float32 mask to float32 once more. Tensors are
 * immutable, so sharing the data under a second reference (what the cpu backend and the backend's
 * own Reshape do) gives the same results.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

function share(backend: object, x: TensorInfo): TensorInfo {
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function sharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? original(args) : share(args.backend, x);
  };
}

export function sharedSameTypeCast(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: string };
    return x.dtype === dtype && dtype !== 'string' ? share(args.backend, x) : original(args);
  };
}

export const sharedIdentityConfig = (original: KernelConfig): KernelConfig => ({ ...original, kernelFunc: sharedIdentity(original.kernelFunc) });
export const sharedCastConfig = (original: KernelConfig): KernelConfig => ({ ...original, kernelFunc: sharedSameTypeCast(original.kernelFunc) });
