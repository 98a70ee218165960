import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  remove(): void;
}

/** A fresh directory under the OS temp dir (prefix `giggles-`), removed by remove(). */
export function makeTempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `giggles-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
