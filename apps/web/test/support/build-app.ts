import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

export const WEB_ROOT = join(import.meta.dirname, '..', '..');

/** Builds the app exactly as `nx build web` does, into a fresh directory (the working tree's dist is left alone). */
export async function buildApp(outDir?: string): Promise<string> {
  const dir = outDir ?? (await mkdtemp(join(tmpdir(), 'giggles-web-')));
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return dir;
}
