import { Padding } from '../tflite/schema';

/**
 * Explicit [begin, end] padding for one spatial axis, reproducing TensorFlow's SAME rule:
 * output = ceil(input / stride), and any odd padding goes at the end. ONNX's auto_pad=SAME_UPPER
 * would do the same, but explicit pads keep the graph unambiguous for every runtime.
 */
export function axisPads(padding: number, input: number, kernel: number, stride: number, dilation = 1): [number, number] {
  if (padding === Padding.VALID) return [0, 0];
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const output = Math.ceil(input / stride);
  const total = Math.max((output - 1) * stride + effectiveKernel - input, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

/** Output size of one spatial axis, as TensorFlow computes it. */
export function axisOutput(padding: number, input: number, kernel: number, stride: number, dilation = 1): number {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  return padding === Padding.VALID ? Math.ceil((input - effectiveKernel + 1) / stride) : Math.ceil(input / stride);
}

/** ONNX `pads` for a 2-D op: [top, left, bottom, right]. */
export function spatialPads(
  padding: number,
  inH: number,
  inW: number,
  kH: number,
  kW: number,
  strideH: number,
  strideW: number,
  dilationH = 1,
  dilationW = 1,
): number[] {
  const [top, bottom] = axisPads(padding, inH, kH, strideH, dilationH);
  const [left, right] = axisPads(padding, inW, kW, strideW, dilationW);
  return [top, left, bottom, right];
}
