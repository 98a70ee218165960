import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const RELATIVE_MODEL = join('..', 'shared', 'models', 'yamnet.tflite');

/**
 * Where the YAMNet model is, when nothing was configured: $GIGGLES_MODEL, else
 * ../shared/models/yamnet.tflite next to the repository root (found by walking up from the working
 * directory to the folder with nx.json) or next to the working directory itself.
 */
export function resolveDefaultModelPath(cwd: string = process.cwd()): string | undefined {
  const fromEnv = process.env['GIGGLES_MODEL'];
  if (fromEnv) return resolve(fromEnv);
  const candidates: string[] = [];
  const root = findRepoRoot(cwd);
  if (root) candidates.push(resolve(root, RELATIVE_MODEL));
  candidates.push(resolve(cwd, RELATIVE_MODEL));
  return candidates.find((c) => existsSync(c));
}

function findRepoRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
