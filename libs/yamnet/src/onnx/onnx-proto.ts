import * as protobuf from 'protobufjs';

/**
 * The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, proto2) this project writes
 * and reads. Field numbers are the official ones — they are the wire format, so they must never
 * be renumbered; fields we never use are simply left out (protobuf skips unknown fields).
 */
const ONNX_SUBSET = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10;
  }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  optional string doc_string = 13;
  optional AttributeType type = 20;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
  optional string domain = 7;
}

message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7;
    STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13;
  }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
  optional string doc_string = 12;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** TensorProto.DataType values used here. */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

let root: protobuf.Root | undefined;

function onnxRoot(): protobuf.Root {
  root ??= protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
  return root;
}

/** The protobufjs type for `onnx.ModelProto`, for encoding and (in tests and tools) decoding. */
export function modelProtoType(): protobuf.Type {
  return onnxRoot().lookupType('onnx.ModelProto');
}

// Plain-object shapes of the messages we build (protobufjs `fromObject` input).
export interface AttributeMessage {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}
export interface NodeMessage {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: AttributeMessage[];
  domain?: string;
}
export interface TensorMessage {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}
export interface ValueInfoMessage {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Array<{ dim_value: number } | { dim_param: string }> } } };
}
export interface ModelMessage {
  ir_version: number;
  producer_name: string;
  producer_version: string;
  doc_string?: string;
  opset_import: Array<{ domain: string; version: number }>;
  metadata_props: Array<{ key: string; value: string }>;
  graph: {
    name: string;
    node: NodeMessage[];
    initializer: TensorMessage[];
    input: ValueInfoMessage[];
    output: ValueInfoMessage[];
  };
}

export function encodeModel(model: ModelMessage): Uint8Array {
  const type = modelProtoType();
  const message = type.fromObject(model);
  return type.encode(message).finish();
}

export function decodeModel(bytes: Uint8Array): ModelMessage {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number }) as ModelMessage;
}
