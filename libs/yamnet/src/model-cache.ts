import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { ModelLoadError } from './errors';
import { CONVERTER_VERSION, importTfliteBytes, readModelFile, sha256Hex } from './convert/import-tflite';

export interface CachedModel {
  onnxPath: string;
  /** sha256 of the source .tflite. */
  sha256: string;
  fromCache: boolean;
}

/**
 * Returns an ONNX conversion of the TFLite model at `modelPath`, converting only when no
 * conversion of these exact bytes exists yet. The file name carries the source's sha256 (and the
 * converter version), so a changed model or converter never reuses a stale conversion.
 * It goes next to the model when that directory is writable, else into the cache directory.
 */
export async function convertAndCache(modelPath: string, options: { cacheDir?: string } = {}): Promise<CachedModel> {
  const bytes = await readModelFile(modelPath);
  const sha256 = sha256Hex(bytes);
  const fileName = cachedFileName(modelPath, sha256);
  const dirs = candidateDirs(modelPath, options.cacheDir);

  for (const dir of dirs) {
    const candidate = join(dir, fileName);
    if (await exists(candidate)) return { onnxPath: candidate, sha256, fromCache: true };
  }

  const { onnx } = importTfliteBytes(bytes, modelPath);
  const failures: string[] = [];
  for (const dir of dirs) {
    const target = join(dir, fileName);
    try {
      if (!(await mayWriteIn(dir))) {
        failures.push(`${dir}: read-only`);
        continue;
      }
      await writeAtomically(target, onnx);
      return { onnxPath: target, sha256, fromCache: false };
    } catch (error) {
      failures.push(`${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  throw new ModelLoadError('CACHE', `cannot write the converted model anywhere (${failures.join('; ')}); set cacheDir to a writable directory`, modelPath);
}

/** e.g. `yamnet.687f226c147a2caa.c1.onnx` for `yamnet.tflite`. */
export function cachedFileName(modelPath: string, sha256: string): string {
  const stem = basename(modelPath, extname(modelPath)) || 'model';
  return `${stem}.${sha256.slice(0, 16)}.c${CONVERTER_VERSION}.onnx`;
}

/**
 * Model directory first, then the configured cache directory. Without one, per-user and temp
 * fallbacks ($GIGGLES_CACHE_DIR, $XDG_CACHE_HOME or ~/.cache, the temp dir) are used; an explicit
 * cache directory replaces them so a caller's setting is never shadowed by a stray global copy.
 */
export function candidateDirs(modelPath: string, cacheDir?: string): string[] {
  const dirs = [dirname(modelPath)];
  if (cacheDir) {
    dirs.push(cacheDir);
  } else {
    const envDir = process.env['GIGGLES_CACHE_DIR'];
    if (envDir) dirs.push(join(envDir, 'yamnet'));
    dirs.push(join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'giggles', 'yamnet'));
    dirs.push(join(tmpdir(), 'giggles-yamnet'));
  }
  return [...new Set(dirs)];
}

/** Temp file + rename: readers never see a half-written model, even with concurrent converters. */
async function writeAtomically(target: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * A directory whose mode grants nobody write access is treated as read-only even for root, who
 * could write there anyway: shared model folders are marked that way on purpose. Missing
 * directories are fine (they get created).
 */
async function mayWriteIn(dir: string): Promise<boolean> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory() || (info.mode & 0o222) === 0) return false;
    await access(dir, constants.W_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
