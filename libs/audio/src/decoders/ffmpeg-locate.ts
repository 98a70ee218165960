import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the ffmpeg executable: `configured` (a path, or a bare name looked up on PATH), else
 * $GIGGLES_FFMPEG_PATH, else "ffmpeg" on PATH. `null` disables ffmpeg. Returns undefined when none
 * is found, so callers can explain what is missing instead of failing on spawn.
 */
export async function findFfmpeg(configured?: string | null): Promise<string | undefined> {
  if (configured === null) return undefined;
  const wanted = configured ?? process.env.GIGGLES_FFMPEG_PATH ?? 'ffmpeg';
  if (wanted.includes('/') || wanted.includes('\\') || isAbsolute(wanted)) return (await isExecutable(wanted)) ? wanted : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, wanted);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}
