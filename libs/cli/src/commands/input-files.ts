import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** File endings taken from a directory argument (files named directly are always tried). */
const AUDIO_EXTENSIONS = new Set(['.ogg', '.opus', '.oga', '.wav', '.wave', '.mp3', '.m4a', '.aac', '.flac', '.webm', '.mp4', '.mkv']);

export interface InputFile {
  path: string;
  /** Set when the argument itself cannot be used (missing, unreadable): reported, not analysed. */
  problem?: string;
}

/**
 * Files and directories from the command line → the files to analyse, in the order given;
 * a directory contributes its audio files (recursively) in name order.
 */
export async function expandInputs(args: string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const arg of args) {
    let info;
    try {
      info = await stat(arg);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      out.push({ path: arg, problem: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(error)})` });
      continue;
    }
    if (info.isDirectory()) out.push(...(await audioFilesIn(arg)));
    else out.push({ path: arg });
  }
  return out;
}

async function audioFilesIn(dir: string): Promise<InputFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const files: InputFile[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await audioFilesIn(full)));
    else if (AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push({ path: full });
  }
  return files;
}
