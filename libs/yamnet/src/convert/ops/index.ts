import { BuiltinOp } from '../../tflite/schema';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';
import { convertLogistic, convertRelu, convertRelu6, convertSoftmax, convertTanh } from './activation';
import { binary } from './elementwise';
import { convertConv2D, convertDepthwise } from './conv';
import { convertFullyConnected } from './dense';
import { convertAveragePool, convertMaxPool, convertMean } from './pool';
import { convertReshape, convertSqueeze } from './shape';

export type OpConverter = (ctx: ConversionContext, op: TfliteOperator) => void;

/** TFLite builtin op → converter. Anything missing here is rejected by name. */
export const OP_CONVERTERS: ReadonlyMap<number, OpConverter> = new Map<number, OpConverter>([
  [BuiltinOp.CONV_2D, convertConv2D],
  [BuiltinOp.DEPTHWISE_CONV_2D, convertDepthwise],
  [BuiltinOp.MEAN, convertMean],
  [BuiltinOp.AVERAGE_POOL_2D, convertAveragePool],
  [BuiltinOp.MAX_POOL_2D, convertMaxPool],
  [BuiltinOp.FULLY_CONNECTED, convertFullyConnected],
  [BuiltinOp.LOGISTIC, convertLogistic],
  [BuiltinOp.RELU, convertRelu],
  [BuiltinOp.RELU6, convertRelu6],
  [BuiltinOp.TANH, convertTanh],
  [BuiltinOp.SOFTMAX, convertSoftmax],
  [BuiltinOp.RESHAPE, convertReshape],
  [BuiltinOp.SQUEEZE, convertSqueeze],
  [BuiltinOp.ADD, binary('Add')],
  [BuiltinOp.MUL, binary('Mul')],
  [BuiltinOp.SUB, binary('Sub')],
]);
