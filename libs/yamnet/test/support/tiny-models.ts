/**
 * TEST HELPER ONLY — tiny YAMNet-shaped TFLite models (a [1,96,64,1] patch in, a handful of
 * classes out) in several variants, each with a direct computation from TensorFlow's op
 * definitions, so every op converter is checked numerically, not just for "it loads".
 *
 * patch → CONV_2D 3×3 stride 2 SAME (2 channels) [→ ADD per-channel constant] → pooling → [1,2]
 * → FULLY_CONNECTED 2→3 → LOGISTIC or SOFTMAX.
 */
import { BuiltinOp, TensorType } from '../../src/tflite/schema';
import { float32Bytes, type ModelSpec, type OpSpec, type TensorSpec } from './tflite-writer';

export interface TinyVariant {
  /** Fused activation of the conv (1 RELU, 3 RELU6) — or of the ADD that follows it when `add`. */
  activation: 1 | 3;
  /** Put the activation on an ADD of a per-channel constant instead of on the conv. */
  add: boolean;
  /** 'avg'/'max': global AVERAGE/MAX_POOL_2D; 'avg3x3+mean': 3×3/2 SAME average pool, then MEAN over H,W. */
  pool: 'avg' | 'max' | 'avg3x3+mean';
  /** How [1,1,1,2] becomes [1,2] (ignored for 'avg3x3+mean', whose MEAN already gives [1,2]). */
  flatten: 'reshape' | 'squeeze';
  head: 'logistic' | 'softmax';
}

export const DEFAULT_TINY: TinyVariant = { activation: 3, add: false, pool: 'avg', flatten: 'reshape', head: 'logistic' };

const CONV_W = [0.5, -0.25, 0.1, 0.2, 0.3, -0.1, 0.05, 0.4, -0.3, /* ch1 */ -0.2, 0.1, 0.3, 0.25, -0.5, 0.15, 0.2, 0.1, -0.05];
const CONV_B = [0.1, 2.5];
const ADD_C = [-0.3, 1.5];
const FC_W = [1, -1, 0.5, 0.5, -2, 0.25];
const FC_B = [0, 0.1, -0.2];

export function tinyModel(patchShape = [1, 96, 64, 1], variant: Partial<TinyVariant> = {}): ModelSpec {
  const v = { ...DEFAULT_TINY, ...variant };
  const f = TensorType.FLOAT32;
  const h = patchShape[1]! / 2;
  const tensors: TensorSpec[] = [];
  const operators: OpSpec[] = [];
  const t = (spec: TensorSpec): number => tensors.push(spec) - 1;

  const patch = t({ name: 'patch', shape: patchShape, type: f });
  const convW = t({ name: 'conv_w', shape: [2, 3, 3, 1], type: f, data: float32Bytes(CONV_W) });
  const convB = t({ name: 'conv_b', shape: [2], type: f, data: float32Bytes(CONV_B) });
  let x = t({ name: 'conv_out', shape: [1, h, 32, 2], type: f });
  const convFields = [{ id: 0, int8: 0 }, { id: 1, int32: 2 }, { id: 2, int32: 2 }, { id: 3, int8: v.add ? 0 : v.activation }];
  operators.push({ builtinCode: BuiltinOp.CONV_2D, inputs: [patch, convW, convB], outputs: [x], options: { type: 1, fields: convFields } });
  if (v.add) {
    const c = t({ name: 'add_c', shape: [2], type: f, data: float32Bytes(ADD_C) });
    const y = t({ name: 'added', shape: [1, h, 32, 2], type: f });
    operators.push({ builtinCode: BuiltinOp.ADD, inputs: [x, c], outputs: [y], options: { type: 11, fields: [{ id: 0, int8: v.activation }] } });
    x = y;
  }

  let flat: number;
  if (v.pool === 'avg3x3+mean') {
    const pooled = t({ name: 'pooled', shape: [1, h / 2, 16, 2], type: f });
    const poolFields = [{ id: 0, int8: 0 }, { id: 1, int32: 2 }, { id: 2, int32: 2 }, { id: 3, int32: 3 }, { id: 4, int32: 3 }];
    operators.push({ builtinCode: BuiltinOp.AVERAGE_POOL_2D, inputs: [x], outputs: [pooled], options: { type: 5, fields: poolFields } });
    const axes = t({ name: 'axes', shape: [2], type: TensorType.INT32, data: new Uint8Array(Int32Array.of(1, 2).buffer) });
    flat = t({ name: 'mean', shape: [1, 2], type: f });
    operators.push({ builtinCode: BuiltinOp.MEAN, inputs: [pooled, axes], outputs: [flat], options: { type: 27, fields: [{ id: 0, bool: false }] } });
  } else {
    const pooled = t({ name: 'pooled', shape: [1, 1, 1, 2], type: f });
    const poolFields = [{ id: 0, int8: 1 }, { id: 1, int32: 1 }, { id: 2, int32: 1 }, { id: 3, int32: 32 }, { id: 4, int32: h }];
    const code = v.pool === 'avg' ? BuiltinOp.AVERAGE_POOL_2D : BuiltinOp.MAX_POOL_2D;
    operators.push({ builtinCode: code, inputs: [x], outputs: [pooled], options: { type: 5, fields: poolFields } });
    flat = t({ name: 'flat', shape: [1, 2], type: f });
    if (v.flatten === 'reshape') {
      const shape = t({ name: 'shape', shape: [2], type: TensorType.INT32, data: new Uint8Array(Int32Array.of(1, 2).buffer) });
      operators.push({ builtinCode: BuiltinOp.RESHAPE, inputs: [pooled, shape], outputs: [flat] });
    } else {
      operators.push({ builtinCode: BuiltinOp.SQUEEZE, inputs: [pooled], outputs: [flat], options: { type: 30, fields: [{ id: 0, int32s: [1, 2] }] } });
    }
  }

  const fcW = t({ name: 'fc_w', shape: [3, 2], type: f, data: float32Bytes(FC_W) });
  const fcB = t({ name: 'fc_b', shape: [3], type: f, data: float32Bytes(FC_B) });
  const logits = t({ name: 'logits', shape: [1, 3], type: f });
  operators.push({ builtinCode: BuiltinOp.FULLY_CONNECTED, inputs: [flat, fcW, fcB], outputs: [logits], options: { type: 8, fields: [{ id: 0, int8: 0 }] } });
  const scores = t({ name: 'scores', shape: [1, 3], type: f });
  if (v.head === 'logistic') operators.push({ builtinCode: BuiltinOp.LOGISTIC, inputs: [logits], outputs: [scores] });
  else operators.push({ builtinCode: BuiltinOp.SOFTMAX, inputs: [logits], outputs: [scores], options: { type: 9, fields: [{ id: 0, float32: 1 }] } });

  return { tensors, inputs: [patch], outputs: [scores], operators };
}

/** The tiny model computed directly (SAME 3×3/2 on 96×64: no padding before, one row/column after). */
export function tinyModelByHand(patch: Float32Array, variant: Partial<TinyVariant> = {}): Float32Array {
  const v = { ...DEFAULT_TINY, ...variant };
  const act = (x: number) => (v.activation === 3 ? Math.min(6, Math.max(0, x)) : Math.max(0, x));
  const feature = new Float64Array(48 * 32 * 2); // NHWC
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 32; x++) {
      for (let c = 0; c < 2; c++) {
        let s = CONV_B[c]! + (v.add ? ADD_C[c]! : 0);
        for (let ky = 0; ky < 3; ky++) {
          for (let kx = 0; kx < 3; kx++) {
            const iy = 2 * y + ky;
            const ix = 2 * x + kx;
            if (iy < 96 && ix < 64) s += patch[iy * 64 + ix]! * CONV_W[c * 9 + ky * 3 + kx]!;
          }
        }
        feature[(y * 32 + x) * 2 + c] = act(s);
      }
    }
  }

  const pooled = [0, 1].map((c) => {
    if (v.pool === 'max') {
      let m = -Infinity;
      for (let i = 0; i < 48 * 32; i++) m = Math.max(m, feature[i * 2 + c]!);
      return m;
    }
    if (v.pool === 'avg') {
      let s = 0;
      for (let i = 0; i < 48 * 32; i++) s += feature[i * 2 + c]!;
      return s / (48 * 32);
    }
    // 3×3 stride 2 SAME average pool (TensorFlow averages only the in-bounds cells), then the mean.
    let total = 0;
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 16; x++) {
        let s = 0;
        let n = 0;
        for (let ky = 0; ky < 3; ky++) {
          for (let kx = 0; kx < 3; kx++) {
            const iy = 2 * y + ky;
            const ix = 2 * x + kx;
            if (iy < 48 && ix < 32) {
              s += feature[(iy * 32 + ix) * 2 + c]!;
              n++;
            }
          }
        }
        total += s / n;
      }
    }
    return total / (24 * 16);
  });

  const logits = [0, 1, 2].map((o) => FC_B[o]! + pooled[0]! * FC_W[o * 2]! + pooled[1]! * FC_W[o * 2 + 1]!);
  if (v.head === 'logistic') return Float32Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return Float32Array.from(exps, (e) => e / sum);
}
