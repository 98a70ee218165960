/**
 * TEST HELPER ONLY — a naive NHWC interpreter for the TFLite ops in YAMNet's network, written
 * from TensorFlow's op definitions and deliberately sharing no code with the ONNX converter
 * (only the flatbuffer reader and dequantisation, which have their own tests). Comparing its
 * output with onnxruntime's on the converted graph checks layouts, padding, strides and groups.
 */
import { dequantize } from '../../src/tflite/dequantize';
import { type TfliteModel, type TfliteOperator } from '../../src/tflite/schema-reader';

const CONV_2D = 3;
const DEPTHWISE_CONV_2D = 4;
const FULLY_CONNECTED = 9;
const LOGISTIC = 14;
const MEAN = 40;
const INT32 = 2;

interface Tensor {
  shape: number[];
  data: Float32Array;
}

export function interpret(model: TfliteModel, patchTensor: number, patch: Float32Array, wanted: number[]): Float32Array[] {
  const sg = model.subgraphs[0]!;
  const values = new Map<number, Tensor>([[patchTensor, { shape: [1, 96, 64, 1], data: patch }]]);
  const constant = (i: number): Tensor => {
    const t = sg.tensors[i]!;
    if (t.type === INT32) return { shape: t.shape, data: new Float32Array(0) }; // axes: MEAN below knows them
    return { shape: t.shape, data: dequantize(model.buffers[t.buffer]!, t.type, t.shape, t.quantization, t.name) };
  };
  const input = (i: number): Tensor => values.get(i) ?? constant(i);
  const started = sg.operators.findIndex((op) => op.inputs[0] === patchTensor);
  for (const op of sg.operators.slice(started)) {
    if (!op.inputs.some((i) => values.has(i))) continue;
    values.set(op.outputs[0]!, run(op, op.inputs.map((i) => (i >= 0 ? input(i) : undefined)), sg.tensors[op.outputs[0]!]!.shape));
  }
  return wanted.map((w) => values.get(w)!.data);
}

function run(op: TfliteOperator, inputs: Array<Tensor | undefined>, outShape: number[]): Tensor {
  const opts = op.options;
  switch (op.builtinCode) {
    case CONV_2D:
      // Conv2DOptions: padding 0, stride_w 1, stride_h 2, activation 3
      return conv(inputs[0]!, inputs[1]!, inputs[2], outShape, opts!.int8(0), opts!.int32(2), opts!.int32(1), opts!.int8(3), false);
    case DEPTHWISE_CONV_2D:
      // DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, activation 4
      return conv(inputs[0]!, inputs[1]!, inputs[2], outShape, opts!.int8(0), opts!.int32(2), opts!.int32(1), opts!.int8(4), true);
    case MEAN: {
      const x = inputs[0]!;
      const [, h, w, c] = x.shape as [number, number, number, number];
      const out = new Float32Array(c);
      for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[k]! += x.data[i * c + k]! / (h * w);
      return { shape: outShape, data: out };
    }
    case FULLY_CONNECTED: {
      const [x, wt, b] = inputs as [Tensor, Tensor, Tensor | undefined];
      const [outDim, inDim] = wt.shape as [number, number];
      const out = new Float32Array(outDim);
      for (let o = 0; o < outDim; o++) {
        let sum = b ? b.data[o]! : 0;
        for (let i = 0; i < inDim; i++) sum += x.data[i]! * wt.data[o * inDim + i]!;
        out[o] = sum;
      }
      return { shape: outShape, data: out };
    }
    case LOGISTIC:
      return { shape: outShape, data: inputs[0]!.data.map((v) => 1 / (1 + Math.exp(-v))) };
    default:
      throw new Error(`reference interpreter: op ${op.opName} not implemented`);
  }
}

/** TensorFlow SAME/VALID conv (and depthwise conv with multiplier 1) in NHWC. */
function conv(x: Tensor, w: Tensor, b: Tensor | undefined, outShape: number[], padding: number, sh: number, sw: number, act: number, depthwise: boolean): Tensor {
  const [, ih, iw, ic] = x.shape as [number, number, number, number];
  const [, oh, ow, oc] = outShape as [number, number, number, number];
  const kh = w.shape[1]!;
  const kw = w.shape[2]!;
  const same = padding === 0;
  const padTop = same ? Math.floor(Math.max((oh - 1) * sh + kh - ih, 0) / 2) : 0;
  const padLeft = same ? Math.floor(Math.max((ow - 1) * sw + kw - iw, 0) / 2) : 0;
  const out = new Float32Array(oh * ow * oc);
  for (let y = 0; y < oh; y++) {
    for (let xx = 0; xx < ow; xx++) {
      for (let o = 0; o < oc; o++) {
        let sum = b ? b.data[o]! : 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y * sh + ky - padTop;
          if (iy < 0 || iy >= ih) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = xx * sw + kx - padLeft;
            if (ix < 0 || ix >= iw) continue;
            const base = (iy * iw + ix) * ic;
            if (depthwise) {
              sum += x.data[base + o]! * w.data[(ky * kw + kx) * oc + o]!;
            } else {
              const wBase = ((o * kh + ky) * kw + kx) * ic;
              for (let c = 0; c < ic; c++) sum += x.data[base + c]! * w.data[wBase + c]!;
            }
          }
        }
        if (act === 1) sum = Math.max(0, sum);
        else if (act === 3) sum = Math.min(6, Math.max(0, sum));
        out[(y * ow + xx) * oc + o] = sum;
      }
    }
  }
  return { shape: outShape, data: out };
}
