/**
 * Clips in a local directory (the default: a Docker volume). Path safety, beyond the syntax
 * checks of safeSegments: the store never follows a symbolic link below its root — any link on
 * a clip's path is refused — so a link planted inside the store cannot redirect a write, read or
 * delete elsewhere. The root itself may be a link; it is resolved once when the store opens.
 */
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { safeSegments, UnsafeClipPathError } from './clip-path';
import { ClipNotFoundError, type ByteRange, type ClipData, type ClipStore } from './clip-store';

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class FsClipStore implements ClipStore {
  private constructor(readonly root: string) {}

  static async open(rootDir: string): Promise<FsClipStore> {
    await mkdir(rootDir, { recursive: true });
    return new FsClipStore(await realpath(rootDir));
  }

  async put(path: string, data: ClipData): Promise<void> {
    const segments = safeSegments(path);
    const dir = await this.walk(segments.slice(0, -1), true);
    const target = join(dir, segments[segments.length - 1]);
    await this.assertFileOrMissing(target, path);
    // Write beside the target and rename over it: atomic, and rename replaces a name without
    // following it.
    const temp = join(dir, `.${segments[segments.length - 1]}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const source = Buffer.isBuffer(data) || data instanceof Uint8Array ? [data] : data;
      // flush: fsync before close, so the rename never publishes a file whose bytes are not on disk.
      await pipeline(source as Iterable<Uint8Array> | Readable, createWriteStream(temp, { flags: 'wx', flush: true }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    // The caller deletes the clip's only other copy next: make the new name itself durable (the
    // clip's folder and the folders above it, which put may just have created).
    for (let depth = segments.length - 1; depth >= 0; depth--) {
      await syncDirectory(join(this.root, ...segments.slice(0, depth)));
    }
  }

  /** `range` (inclusive byte offsets, as fs streams take them) reads part of the file. */
  async get(path: string, range?: ByteRange): Promise<Readable> {
    const target = await this.existingFile(path);
    if (!target) throw new ClipNotFoundError(path);
    // O_NOFOLLOW closes the gap between the check above and the open.
    const handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(path: string): Promise<boolean> {
    const target = await this.existingFile(path);
    if (!target) return false;
    try {
      await unlink(target);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.existingFile(path)) !== null;
  }

  async list(prefix: string): Promise<string[]> {
    const segments = safeSegments(prefix, { allowEmpty: true });
    let dir: string;
    try {
      dir = await this.walk(segments, false);
    } catch (error) {
      if (error instanceof ClipNotFoundError) return [];
      throw error;
    }
    const found: string[] = [];
    await this.collect(dir, segments, found);
    return found.sort();
  }

  /** Descends from the root one directory at a time, refusing links (and creating if asked). */
  private async walk(segments: string[], create: boolean): Promise<string> {
    let current = this.root;
    for (const segment of segments) {
      const next = join(current, segment);
      let stats = await lstat(next).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error)));
      if (!stats) {
        if (!create) throw new ClipNotFoundError(segments.join('/'));
        await mkdir(next).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)));
        stats = await lstat(next);
      }
      if (stats.isSymbolicLink()) throw new UnsafeClipPathError('passes through a symbolic link');
      if (!stats.isDirectory()) throw new UnsafeClipPathError('passes through a file');
      current = next;
    }
    return current;
  }

  private async assertFileOrMissing(target: string, path: string): Promise<void> {
    const stats = await lstat(target).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error)));
    if (stats && stats.isSymbolicLink()) throw new UnsafeClipPathError('is a symbolic link');
    if (stats && !stats.isFile()) throw new UnsafeClipPathError(`${path} is not a file`);
  }

  /** The absolute path of an existing regular file, null if absent; links are refused. */
  private async existingFile(path: string): Promise<string | null> {
    const segments = safeSegments(path);
    let dir: string;
    try {
      dir = await this.walk(segments.slice(0, -1), false);
    } catch (error) {
      if (error instanceof ClipNotFoundError) return null;
      throw error;
    }
    const target = join(dir, segments[segments.length - 1]);
    const stats = await lstat(target).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error)));
    if (!stats) return null;
    if (stats.isSymbolicLink()) throw new UnsafeClipPathError('is a symbolic link');
    if (!stats.isFile()) throw new UnsafeClipPathError(`${path} is not a file`);
    return target;
  }

  private async collect(dir: string, prefix: string[], found: string[]): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue; // our temporary files
      if (entry.isDirectory()) await this.collect(join(dir, entry.name), [...prefix, entry.name], found);
      else if (entry.isFile()) found.push([...prefix, entry.name].join('/'));
      // links and anything else are not clips
    }
  }
}
