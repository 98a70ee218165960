import { ModelLoadError } from '../errors';
import { type TfliteQuantization } from './schema-reader';
import { TensorType, tensorTypeName } from './schema';

/**
 * Turns a constant TFLite tensor's raw little-endian bytes into float32 values:
 * float32 as-is, float16 widened, int8/uint8 mapped through f = scale * (q - zero_point) with one
 * scale per tensor or one per slice along `quantizedDimension` (per-channel quantization).
 */
export function dequantize(
  raw: Uint8Array,
  type: number,
  shape: readonly number[],
  quantization: TfliteQuantization | undefined,
  tensorName = '',
): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const need = count * bytesPerElement(type, tensorName);
  if (raw.byteLength < need) {
    throw new ModelLoadError('MALFORMED', `tensor "${tensorName}" has ${raw.byteLength} bytes of data, expected ${need}`);
  }
  const out = new Float32Array(count);
  switch (type) {
    case TensorType.FLOAT32:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case TensorType.FLOAT16:
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case TensorType.INT8:
    case TensorType.UINT8: {
      if (!quantization) {
        throw new ModelLoadError('UNSUPPORTED_TYPE', `tensor "${tensorName}" is ${tensorTypeName(type)} without quantization parameters`);
      }
      const signed = type === TensorType.INT8;
      const channel = channelIndexer(shape, quantization, tensorName);
      for (let i = 0; i < count; i++) {
        const q = signed ? view.getInt8(i) : view.getUint8(i);
        const c = channel(i);
        out[i] = quantization.scale[c]! * (q - (quantization.zeroPoint[c] ?? quantization.zeroPoint[0] ?? 0));
      }
      return out;
    }
    default:
      throw new ModelLoadError('UNSUPPORTED_TYPE', `constant tensor "${tensorName}" has unsupported type ${tensorTypeName(type)}`);
  }
}

function bytesPerElement(type: number, tensorName: string): number {
  switch (type) {
    case TensorType.FLOAT32:
      return 4;
    case TensorType.FLOAT16:
      return 2;
    case TensorType.INT8:
    case TensorType.UINT8:
      return 1;
    default:
      throw new ModelLoadError('UNSUPPORTED_TYPE', `constant tensor "${tensorName}" has unsupported type ${tensorTypeName(type)}`);
  }
}

/** Maps a flat element index to its quantization parameter index (0 for per-tensor). */
function channelIndexer(shape: readonly number[], q: TfliteQuantization, tensorName: string): (i: number) => number {
  if (q.scale.length === 1) return () => 0;
  const dim = q.quantizedDimension;
  const size = shape[dim];
  if (size === undefined || size !== q.scale.length) {
    throw new ModelLoadError(
      'MALFORMED',
      `tensor "${tensorName}" has ${q.scale.length} scales but dimension ${dim} of [${shape.join(',')}] has size ${size}`,
    );
  }
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % size;
}

/** IEEE 754 binary16 → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
