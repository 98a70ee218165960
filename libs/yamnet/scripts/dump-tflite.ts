/**
 * Prints a TFLite model's graph (ops with their input/output tensors, shapes, types and
 * quantization) so the importer's assumptions can be checked against a real file.
 * Usage: node libs/cli/bin/run-script.js libs/yamnet/scripts/dump-tflite.ts [model.tflite]
 */
import { readFileSync } from 'node:fs';
import { readTfliteModel } from '../src/tflite/schema-reader';
import { tensorTypeName } from '../src/tflite/schema';

const path = process.argv[2] ?? '../shared/models/yamnet.tflite';
const model = readTfliteModel(readFileSync(path), path);
const sg = model.subgraphs[0]!;
const describe = (i: number): string => {
  if (i < 0) return '-';
  const t = sg.tensors[i]!;
  const data = model.buffers[t.buffer]!.length > 0 ? ' const' : '';
  const q = t.quantization ? ` q[${t.quantization.scale.length} dim${t.quantization.quantizedDimension}]` : '';
  return `#${i} ${t.name} [${t.shape.join(',')}] ${tensorTypeName(t.type)}${data}${q}`;
};
console.log(`version ${model.version}, ${model.subgraphs.length} subgraph(s), ${sg.tensors.length} tensors, ${model.buffers.length} buffers`);
console.log(`inputs: ${sg.inputs.map(describe).join('; ')}`);
console.log(`outputs: ${sg.outputs.map(describe).join('; ')}`);
for (const op of sg.operators) {
  console.log(`${op.index} ${op.opName} v${op.opVersion} opts=${op.optionsType}`);
  for (const i of op.inputs) console.log(`    in  ${describe(i)}`);
  for (const o of op.outputs) console.log(`    out ${describe(o)}`);
}
