import { ByteBuffer } from 'flatbuffers';
import { ModelLoadError } from '../errors';
import { FlatTable } from './flat-table';
import { BuiltinOp, builtinOpName } from './schema';

/**
 * A minimal typed reader for the TFLite flatbuffer (schema.fbs, "TFL3"): just the parts needed to
 * walk a subgraph, read constant tensors and their quantization, and read operator options.
 * Field ids below are the declaration order in schema.fbs; a union occupies two ids (type, value).
 */

export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** Shape with -1 for dynamic dims, when the converter recorded one. */
  shapeSignature: number[] | undefined;
  type: number;
  /** Index into TfliteModel.buffers; 0 is the always-empty sentinel buffer. */
  buffer: number;
  quantization: TfliteQuantization | undefined;
  isVariable: boolean;
  sparse: boolean;
}

export interface TfliteOperator {
  index: number;
  builtinCode: number;
  /** Human-readable op name (BuiltinOperator enum name, or the custom code). */
  opName: string;
  opVersion: number;
  inputs: number[];
  outputs: number[];
  optionsType: number;
  options: FlatTable | undefined;
}

export interface TfliteSubGraph {
  name: string | undefined;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteModel {
  version: number;
  description: string | undefined;
  subgraphs: TfliteSubGraph[];
  /** Constant data of buffer `i`, or an empty array. Views into the file bytes, not copies. */
  buffers: Uint8Array[];
}

const FILE_IDENTIFIER = 'TFL3';

/** True when `bytes` carries the TFLite file identifier at offset 4. */
export function looksLikeTflite(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  return String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!) === FILE_IDENTIFIER;
}

export function readTfliteModel(bytes: Uint8Array, path?: string): TfliteModel {
  if (!looksLikeTflite(bytes)) {
    throw new ModelLoadError('NOT_TFLITE', `not a TFLite model: missing the "${FILE_IDENTIFIER}" file identifier`, path);
  }
  try {
    return parse(bytes);
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError('MALFORMED', `malformed TFLite model: ${(error as Error).message}`, path, { cause: error });
  }
}

function parse(bytes: Uint8Array): TfliteModel {
  const bb = new ByteBuffer(bytes);
  const root = new FlatTable(bb, bb.readInt32(0));
  // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4.
  const opCodes = root.tables(1).map(readOperatorCode);
  const buffers = root.tables(4).map((b) => readBuffer(b, bytes));
  const subgraphs = root.tables(2).map((sg) => readSubGraph(sg, opCodes, buffers.length));
  if (subgraphs.length === 0) throw new Error('the model has no subgraph');
  return { version: root.uint32(0), description: root.string(3), subgraphs, buffers };
}

interface OperatorCode {
  builtinCode: number;
  customCode: string | undefined;
  version: number;
}

function readOperatorCode(t: FlatTable): OperatorCode {
  // OperatorCode: deprecated_builtin_code:byte 0, custom_code 1, version 2 (default 1),
  // builtin_code:int32 3. Old files only set the byte field; files with op codes >= 127 set the
  // byte to PLACEHOLDER_FOR_GREATER_OP_CODES (127) and the real code in builtin_code. Newer files
  // set both for small codes. The larger of the two is therefore always the real one.
  const deprecated = t.int8(0);
  const extended = t.int32(3);
  return { builtinCode: Math.max(deprecated, extended), customCode: t.string(1), version: t.int32(2, 1) };
}

function readBuffer(t: FlatTable, file: Uint8Array): Uint8Array {
  // Buffer: data 0, offset 1, size 2. Models over 2 GB keep data outside the flatbuffer and
  // point at it with offset/size relative to the file start (offset > 1 marks that case).
  const inline = t.bytes(0);
  if (inline && inline.length > 0) return inline;
  const offset = t.uint64(1);
  const size = t.uint64(2);
  if (offset > 1n) {
    const start = Number(offset);
    const end = start + Number(size);
    if (end > file.length) throw new Error(`buffer data at ${start}+${size} lies past the end of the file`);
    return file.subarray(start, end);
  }
  return new Uint8Array(0);
}

function readSubGraph(t: FlatTable, opCodes: OperatorCode[], bufferCount: number): TfliteSubGraph {
  // SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
  const tensors = t.tables(0).map((tensor, index) => readTensor(tensor, index, bufferCount));
  const operators = t.tables(3).map((op, index) => readOperator(op, index, opCodes, tensors.length));
  return { name: t.string(4), tensors, inputs: t.int32s(1), outputs: t.int32s(2), operators };
}

function readTensor(t: FlatTable, index: number, bufferCount: number): TfliteTensor {
  // Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6,
  // shape_signature 7.
  const buffer = t.uint32(2);
  if (buffer >= bufferCount && bufferCount > 0) throw new Error(`tensor ${index} refers to missing buffer ${buffer}`);
  const q = t.table(4);
  const signature = t.int32s(7);
  return {
    index,
    name: t.string(3) ?? `tensor_${index}`,
    shape: t.int32s(0),
    shapeSignature: signature.length > 0 ? signature : undefined,
    type: t.int8(1),
    buffer,
    quantization: q ? readQuantization(q) : undefined,
    isVariable: t.bool(5),
    sparse: t.has(6),
  };
}

function readQuantization(t: FlatTable): TfliteQuantization | undefined {
  // QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details (union: 4 type, 5 value),
  // quantized_dimension 6.
  const scale = t.float32s(2);
  if (scale.length === 0) return undefined;
  return { scale, zeroPoint: t.int64s(3), quantizedDimension: t.int32(6) };
}

function readOperator(t: FlatTable, index: number, opCodes: OperatorCode[], tensorCount: number): TfliteOperator {
  // Operator: opcode_index 0, inputs 1, outputs 2, builtin_options (union: 3 type, 4 value).
  const opcodeIndex = t.uint32(0);
  const code = opCodes[opcodeIndex];
  if (!code) throw new Error(`operator ${index} refers to missing operator code ${opcodeIndex}`);
  const inputs = t.int32s(1);
  const outputs = t.int32s(2);
  for (const i of [...inputs, ...outputs]) {
    if (i >= tensorCount) throw new Error(`operator ${index} refers to missing tensor ${i}`);
  }
  const opName = code.builtinCode === BuiltinOp.CUSTOM ? `CUSTOM(${code.customCode ?? '?'})` : builtinOpName(code.builtinCode);
  return {
    index,
    builtinCode: code.builtinCode,
    opName,
    opVersion: code.version,
    inputs,
    outputs,
    optionsType: t.uint8(3),
    options: t.table(4),
  };
}
