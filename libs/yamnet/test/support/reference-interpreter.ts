/**
 * TEST HELPER ONLY — a naive NHWC interpreter for the TFLite ops in YAMNet's network, written
 * from TensorFlow's op definitions and deliberately sharing no code with the ONNX converter
 * (only the flatbuffer reader and dequantisation, which have their own tests). Comparing its
 * output with onnxruntime's on the converted graph checks layouts, padding, strides and groups.
 */
import { dequantize } from '../../src/tflite/dequantize';
import { type TfliteModel, type TfliteOperator } from '../../src/tflite/schema-reader';

const RESHAPE = 22;
const GATHER = 36;
const MUL = 18;
const PAD = 34;
const RFFT2D = 131;
const COMPLEX_ABS = 135;
const LOG = 73;
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

/**
 * Runs the waveform front end that the published TFLite YAMNet carries before its network
 * (framing by GATHER, Hann window MUL, PAD, RFFT2D, COMPLEX_ABS, mel FULLY_CONNECTED, LOG, patch
 * reshapes) on one 15600-sample waveform, returning the [1,96,64,1] patch tensor's values. Lets the
 * tests check our log-mel front ends against Google's own graph.
 */
export function interpretFrontEnd(model: TfliteModel, waveform: Float32Array): Float32Array {
  const sg = model.subgraphs[0]!;
  const values = new Map<number, Tensor>([[sg.inputs[0]!, { shape: [waveform.length], data: waveform }]]);
  const ints = (i: number): Int32Array => {
    const raw = model.buffers[sg.tensors[i]!.buffer]!;
    return new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  };
  const floats = (i: number): Tensor => {
    const v = values.get(i);
    if (v) return v;
    const t = sg.tensors[i]!;
    return { shape: t.shape, data: dequantize(model.buffers[t.buffer]!, t.type, t.shape, t.quantization, t.name) };
  };
  const firstConv = sg.operators.find((op) => op.builtinCode === CONV_2D)!;
  for (const op of sg.operators) {
    if (op === firstConv) break;
    const outShape = sg.tensors[op.outputs[0]!]!.shape;
    const x = values.get(op.inputs[0]!)!;
    let data: Float32Array;
    switch (op.builtinCode) {
      case RESHAPE:
        data = x.data;
        break;
      case GATHER: {
        // Gathers whole rows along axis 0 (GatherOptions axis, field 0).
        if (op.options && op.options.int32(0) !== 0) throw new Error('reference interpreter: GATHER only on axis 0');
        const indices = ints(op.inputs[1]!);
        const row = x.data.length / x.shape[0]!;
        data = new Float32Array(indices.length * row);
        indices.forEach((r, k) => data.set(x.data.subarray(r * row, (r + 1) * row), k * row));
        break;
      }
      case MUL: {
        const b = floats(op.inputs[1]!);
        data = x.data.map((v, i) => v * b.data[i % b.data.length]!);
        break;
      }
      case PAD: {
        // Rank-2 zero padding: paddings [[top, bottom], [left, right]].
        const [top, , left] = ints(op.inputs[1]!);
        const [rows, cols] = x.shape as [number, number];
        const outCols = outShape[1]!;
        data = new Float32Array(outShape[0]! * outCols);
        for (let r = 0; r < rows; r++) data.set(x.data.subarray(r * cols, (r + 1) * cols), (r + top!) * outCols + left!);
        break;
      }
      case RFFT2D: {
        // Real DFT over the last axis (the axis before it has size 1); complex values interleaved.
        const n = x.shape.at(-1)!;
        const bins = outShape.at(-1)!;
        const frames = x.data.length / n;
        data = new Float32Array(frames * bins * 2);
        for (let f = 0; f < frames; f++) {
          for (let k = 0; k < bins; k++) {
            let re = 0;
            let im = 0;
            for (let t = 0; t < n; t++) {
              const angle = (-2 * Math.PI * k * t) / n;
              re += x.data[f * n + t]! * Math.cos(angle);
              im += x.data[f * n + t]! * Math.sin(angle);
            }
            data[(f * bins + k) * 2] = re;
            data[(f * bins + k) * 2 + 1] = im;
          }
        }
        break;
      }
      case COMPLEX_ABS:
        data = Float32Array.from({ length: x.data.length / 2 }, (_, i) => Math.hypot(x.data[2 * i]!, x.data[2 * i + 1]!));
        break;
      case FULLY_CONNECTED: {
        const w = floats(op.inputs[1]!);
        const b = op.inputs[2] !== undefined && op.inputs[2] >= 0 ? floats(op.inputs[2]) : undefined;
        const [outDim, inDim] = w.shape as [number, number];
        const rows = x.data.length / inDim;
        data = new Float32Array(rows * outDim);
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < outDim; o++) {
            let sum = b ? b.data[o]! : 0;
            for (let i = 0; i < inDim; i++) sum += x.data[r * inDim + i]! * w.data[o * inDim + i]!;
            data[r * outDim + o] = sum;
          }
        }
        break;
      }
      case LOG:
        data = x.data.map(Math.log);
        break;
      default:
        throw new Error(`reference interpreter: front-end op ${op.opName} not implemented`);
    }
    values.set(op.outputs[0]!, { shape: outShape, data });
  }
  return values.get(firstConv.inputs[0]!)!.data;
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
