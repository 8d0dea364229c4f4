import { backend_util } from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

/** The convolution gradients here handle float32 NHWC data only; anything else gets a plain error. */
export function requireFloat32Nhwc(kernel: string, tensors: TensorInfo[], dataFormat: string | undefined): 'channelsLast' {
  if (tensors.some((t) => t.dtype !== 'float32')) {
    throw new Error(`${kernel} on wasm needs float32 tensors, got ${tensors.map((t) => t.dtype).join(' and ')}.`);
  }
  const format = backend_util.convertConv2DDataFormat((dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW');
  if (format !== 'channelsLast') throw new Error(`${kernel} on wasm supports only NHWC data, got ${dataFormat}.`);
  return format;
}
