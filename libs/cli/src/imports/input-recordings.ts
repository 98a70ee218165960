import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Most files one `giggles import` takes (a directory of a whole phone is many runs, not one). */
export const MAX_IMPORT_FILES = 10_000;

export interface InputRecording {
  path: string;
  /** Set when the path cannot be imported (missing, not a regular file): reported as that file's line. */
  problem?: string;
}

/**
 * The files named on the command line, directories expanded (recursively, name order, hidden
 * entries and symbolic links skipped so a link cannot lead outside what was named).
 */
export async function listInputRecordings(paths: string[]): Promise<InputRecording[]> {
  const found: InputRecording[] = [];
  for (const path of paths) {
    await collect(path, found, true);
    if (found.length > MAX_IMPORT_FILES) throw new Error(`more than ${MAX_IMPORT_FILES} files: import fewer at a time`);
  }
  return found;
}

async function collect(path: string, found: InputRecording[], named: boolean): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    found.push({ path, problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}` });
    return;
  }
  if (info.isFile()) {
    found.push({ path });
    return;
  }
  if (!info.isDirectory()) {
    if (named) found.push({ path, problem: 'not a regular file' });
    return;
  }
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
    if (entry.isDirectory() || entry.isFile()) await collect(join(path, entry.name), found, false);
    if (found.length > MAX_IMPORT_FILES) return;
  }
}
