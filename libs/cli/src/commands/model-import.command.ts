import { writeFile } from 'node:fs/promises';
import { type Command } from 'commander';
import { convertAndCache, importTflite } from '@giggles/yamnet';
import { errorLine } from '../error-line';

export function registerModelImport(program: Command): void {
  const model = program.command('model').description('YAMNet model tools');
  model
    .command('import')
    .description('convert a YAMNet TFLite file (float32 or int8 weights) to the ONNX graph Giggles runs')
    .argument('<tflite>', 'the .tflite file')
    .option('--out <model.onnx>', 'where to write the ONNX graph (default: cached next to the source, keyed by its sha256)')
    .action(async (tflite: string, flags: { out?: string }) => {
      try {
        if (flags.out) {
          const imported = await importTflite(tflite);
          await writeFile(flags.out, imported.onnx);
          const ops = Object.entries(imported.ops).map(([op, n]) => `${op}×${n}`).join(', ');
          process.stdout.write(`wrote ${flags.out} (${imported.onnx.byteLength} bytes, ${imported.weightType} weights, sha256 ${imported.sha256.slice(0, 16)}…; ops ${ops})\n`);
        } else {
          const cached = await convertAndCache(tflite);
          process.stdout.write(`${cached.fromCache ? 'already converted' : 'converted'}: ${cached.onnxPath}\n`);
        }
      } catch (error) {
        process.stderr.write(`giggles: ${tflite}: ${errorLine(error)}\n`);
        process.exitCode = 1;
      }
    });
}
