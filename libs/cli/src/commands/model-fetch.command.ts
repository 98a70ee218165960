import { resolve } from 'node:path';
import { type Command } from 'commander';
import { fetchModel, YAMNET_TFLITE } from '@giggles/yamnet';
import { errorLine } from '../error-line';

/** A download that takes longer than this is abandoned (the model is ~4 MB). */
const FETCH_TIMEOUT_MS = 300_000;

/**
 * `giggles model fetch`: the pinned YAMNet (or `--url` with its `--sha256`) and its class map into
 * a directory, verified and converted. Registered under the `model` command of `model import`.
 */
export function registerModelFetch(program: Command): void {
  const model = program.commands.find((c) => c.name() === 'model') ?? program.command('model').description('YAMNet model tools');
  model
    .command('fetch')
    .description('download YAMNet and its class map, verify their sha256, convert the model (nothing partial is ever kept)')
    .option('--out <dir>', 'directory for yamnet.tflite and yamnet_class_map.csv', './models')
    .option('--url <url>', `model URL (default: the pinned YAMNet; also $GIGGLES_MODEL_URL)`)
    .option('--sha256 <hex>', 'sha256 the --url file must have (required with --url; also $GIGGLES_MODEL_SHA256)')
    .option('--class-map-url <url>', 'class map URL (default: tensorflow/models; also $GIGGLES_CLASS_MAP_URL); must have the pinned sha256')
    .action(async (flags: { out: string; url?: string; sha256?: string; classMapUrl?: string }) => {
      const dir = resolve(flags.out);
      const url = flags.url ?? process.env['GIGGLES_MODEL_URL'] ?? YAMNET_TFLITE.url;
      const sha256 = flags.sha256 ?? process.env['GIGGLES_MODEL_SHA256'];
      try {
        const classMapUrl = flags.classMapUrl ?? process.env['GIGGLES_CLASS_MAP_URL'];
        const result = await fetchModel({
          dir,
          model: { url, sha256 },
          ...(classMapUrl ? { classMap: { url: classMapUrl } } : {}),
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
        process.stdout.write(`${result.downloaded ? 'fetched and verified' : 'already present and verified'}: ${result.modelPath}\nconverted: ${result.onnxPath}\n`);
      } catch (error) {
        process.stderr.write(`giggles: model fetch: ${errorLine(error)}\n`);
        process.exitCode = 1;
      }
    });
}
