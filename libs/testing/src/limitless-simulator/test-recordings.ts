import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../shared-dir';

/** The shared eval recordings (600 s Ogg Opus each); tests read them in place. */
export function evalRecording(name: 'long_d1' | 'long_d2'): string {
  const path = join(sharedDir(), 'eval', `${name}.ogg`);
  if (!existsSync(path)) throw new Error(`missing ${path} (set GIGGLES_SHARED_DIR)`);
  return path;
}
