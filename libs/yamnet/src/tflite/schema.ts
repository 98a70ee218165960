/**
 * The enum values of the TFLite schema (tensorflow/lite/schema/schema.fbs) that this importer
 * needs. Values are part of the file format and never change; only the subset we read is listed.
 */

export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  STRING: 5,
  BOOL: 6,
  INT16: 7,
  COMPLEX64: 8,
  INT8: 9,
  FLOAT64: 10,
} as const;
export type TensorTypeId = number;

const TENSOR_TYPE_NAMES = new Map<number, string>(Object.entries(TensorType).map(([k, v]) => [v, k]));
export function tensorTypeName(type: number): string {
  return TENSOR_TYPE_NAMES.get(type) ?? `TYPE_${type}`;
}

/** BuiltinOperator codes for the ops a YAMNet-like model (and its waveform front end) uses. */
export const BuiltinOp = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU_N1_TO_1: 20,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  CUSTOM: 32,
  PAD: 34,
  GATHER: 36,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  STRIDED_SLICE: 45,
  EXP: 47,
  SPLIT: 49,
  LOG_SOFTMAX: 50,
  CAST: 53,
  MAXIMUM: 55,
  MINIMUM: 57,
  PADV2: 60,
  SLICE: 65,
  SIN: 66,
  TILE: 69,
  EXPAND_DIMS: 70,
  LOG: 73,
  SUM: 74,
  SQRT: 75,
  RSQRT: 76,
  SHAPE: 77,
  POW: 78,
  PACK: 83,
  UNPACK: 88,
  SQUARE: 92,
  FILL: 94,
  RANGE: 96,
  ABS: 101,
  SPLIT_V: 102,
  COS: 108,
  QUANTIZE: 114,
  HARD_SWISH: 117,
  BATCH_MATMUL: 126,
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
  RFFT2D: 131,
  REAL: 134,
  COMPLEX_ABS: 135,
} as const;

const OP_NAMES = new Map<number, string>(Object.entries(BuiltinOp).map(([k, v]) => [v, k]));
export function builtinOpName(code: number): string {
  return OP_NAMES.get(code) ?? `BUILTIN_${code}`;
}

export const Padding = { SAME: 0, VALID: 1 } as const;

export const Activation = {
  NONE: 0,
  RELU: 1,
  RELU_N1_TO_1: 2,
  RELU6: 3,
  TANH: 4,
  SIGN_BIT: 5,
} as const;
