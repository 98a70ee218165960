import {
  type AttributeMessage,
  type ModelMessage,
  type NodeMessage,
  OnnxAttributeType,
  OnnxDataType,
  type TensorMessage,
  type ValueInfoMessage,
  encodeModel,
} from './onnx-proto';

export type AttributeValue = number | number[] | string | { float: number } | { floats: number[] };

/** A dimension: a fixed size, or a symbolic name such as 'N' for the dynamic batch. */
export type Dim = number | string;

/**
 * Accumulates ONNX nodes, initializers and graph inputs/outputs, hands out unique value names,
 * and serialises the result as a ModelProto. Knows nothing of TFLite.
 */
export class OnnxGraphBuilder {
  private readonly nodes: NodeMessage[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly used = new Set<string>();
  private readonly opCounts = new Map<string, number>();

  /** Returns `base` or `base_2`, `base_3`, … so that every value name is unique. */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let n = 2; this.used.has(name); n++) name = `${clean}_${n}`;
    this.used.add(name);
    return name;
  }

  addInput(name: string, elemType: number, dims: Dim[]): void {
    this.used.add(name);
    this.inputs.push(valueInfo(name, elemType, dims));
  }

  addOutput(name: string, elemType: number, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  addFloatInitializer(base: string, dims: number[], data: Float32Array): string {
    return this.addInitializer(base, dims, OnnxDataType.FLOAT, data);
  }

  addInt64Initializer(base: string, values: number[]): string {
    return this.addInitializer(base, [values.length], OnnxDataType.INT64, BigInt64Array.from(values.map(BigInt)));
  }

  addInitializer(base: string, dims: number[], dataType: number, data: ArrayBufferView): string {
    const name = this.uniqueName(base);
    // raw_data is little-endian by definition; typed arrays are host-endian, and every platform
    // onnxruntime-node ships for (x64, arm64) is little-endian.
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, data_type: dataType, raw_data: raw });
    return name;
  }

  /** Adds a node; returns its output names (fresh names derived from `outputBase` unless given). */
  addNode(
    opType: string,
    inputs: string[],
    outputs: string[] | string,
    attributes: Record<string, AttributeValue> = {},
  ): string[] {
    const outNames = Array.isArray(outputs) ? outputs : [this.uniqueName(outputs)];
    for (const o of outNames) this.used.add(o);
    const count = (this.opCounts.get(opType) ?? 0) + 1;
    this.opCounts.set(opType, count);
    this.nodes.push({
      input: inputs,
      output: outNames,
      name: `${opType}_${count}`,
      op_type: opType,
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return outNames;
  }

  /** Number of nodes per ONNX op type (for reporting). */
  nodeCounts(): Record<string, number> {
    return Object.fromEntries(this.opCounts);
  }

  build(meta: { graphName: string; producerVersion: string; docString?: string; metadata?: Record<string, string>; opset?: number }): Uint8Array {
    const model: ModelMessage = {
      ir_version: 8,
      producer_name: '@giggles/yamnet',
      producer_version: meta.producerVersion,
      doc_string: meta.docString,
      opset_import: [{ domain: '', version: meta.opset ?? 17 }],
      metadata_props: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return encodeModel(model);
  }
}

function valueInfo(name: string, elemType: number, dims: Dim[]): ValueInfoMessage {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): AttributeMessage {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`attribute ${name}: use { float } for non-integer values`);
    return { name, type: OnnxAttributeType.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: OnnxAttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
  return { name, type: OnnxAttributeType.FLOATS, floats: value.floats };
}
