import { type FlatTable } from './flat-table';
import { Activation, Padding } from './schema';

/**
 * Readers for the builtin option tables of the ops the converter handles. Field ids follow
 * declaration order in schema.fbs; absent fields take the schema defaults, which is why an op
 * with no options table at all still gets valid values here.
 */

export interface ConvOptions {
  padding: number;
  strideW: number;
  strideH: number;
  activation: number;
  dilationW: number;
  dilationH: number;
}

/** Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation_function 3, dilation_w 4, dilation_h 5. */
export function readConv2DOptions(t: FlatTable | undefined): ConvOptions {
  return {
    padding: t?.int8(0, Padding.SAME) ?? Padding.SAME,
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    activation: t?.int8(3) ?? Activation.NONE,
    dilationW: t?.int32(4, 1) ?? 1,
    dilationH: t?.int32(5, 1) ?? 1,
  };
}

export interface DepthwiseOptions extends ConvOptions {
  depthMultiplier: number;
}

/**
 * DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3,
 * fused_activation_function 4, dilation_w 5, dilation_h 6.
 */
export function readDepthwiseOptions(t: FlatTable | undefined): DepthwiseOptions {
  return {
    padding: t?.int8(0, Padding.SAME) ?? Padding.SAME,
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    depthMultiplier: t?.int32(3) ?? 0,
    activation: t?.int8(4) ?? Activation.NONE,
    dilationW: t?.int32(5, 1) ?? 1,
    dilationH: t?.int32(6, 1) ?? 1,
  };
}

export interface PoolOptions {
  padding: number;
  strideW: number;
  strideH: number;
  filterW: number;
  filterH: number;
  activation: number;
}

/** Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused_activation_function 5. */
export function readPoolOptions(t: FlatTable | undefined): PoolOptions {
  return {
    padding: t?.int8(0, Padding.SAME) ?? Padding.SAME,
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    filterW: t?.int32(3) ?? 0,
    filterH: t?.int32(4) ?? 0,
    activation: t?.int8(5) ?? Activation.NONE,
  };
}

export interface FullyConnectedOptions {
  activation: number;
  /** 0 = DEFAULT; anything else is a shuffled int8 layout we do not convert. */
  weightsFormat: number;
  keepNumDims: boolean;
}

/** FullyConnectedOptions: fused_activation_function 0, weights_format 1, keep_num_dims 2, asymmetric_quantize_inputs 3. */
export function readFullyConnectedOptions(t: FlatTable | undefined): FullyConnectedOptions {
  return {
    activation: t?.int8(0) ?? Activation.NONE,
    weightsFormat: t?.int8(1) ?? 0,
    keepNumDims: t?.bool(2) ?? false,
  };
}

/** ReducerOptions (MEAN, SUM, ...): keep_dims 0. */
export function readReducerOptions(t: FlatTable | undefined): { keepDims: boolean } {
  return { keepDims: t?.bool(0) ?? false };
}

/** ReshapeOptions: new_shape 0 (older files carry the shape here instead of as a second input). */
export function readReshapeOptions(t: FlatTable | undefined): { newShape: number[] } {
  return { newShape: t?.int32s(0) ?? [] };
}

/** SqueezeOptions: squeeze_dims 0. */
export function readSqueezeOptions(t: FlatTable | undefined): { squeezeDims: number[] } {
  return { squeezeDims: t?.int32s(0) ?? [] };
}

/** SoftmaxOptions: beta 0. */
export function readSoftmaxOptions(t: FlatTable | undefined): { beta: number } {
  return { beta: t?.float32(0) ?? 0 };
}

/** AddOptions / MulOptions / SubOptions: fused_activation_function 0. */
export function readActivationOnlyOptions(t: FlatTable | undefined): { activation: number } {
  return { activation: t?.int8(0) ?? Activation.NONE };
}
