import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { UPLOADS_SETTINGS, type UploadsConfig } from './uploads-config';

/** What is kept beside an upload's bytes. */
export interface UploadMeta {
  uploadId: string;
  fileName: string;
  size: number;
  createdAt: string;
}

export interface UploadState extends UploadMeta {
  offset: number;
}

/** A chunk would go past the declared size. */
export class UploadOverflowError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Uploads in progress on local disk: `<root>/<userId>/<uploadId>.part` (the bytes so far) and
 * `.json` (name and declared size). Both ids are UUIDs (the user's from the session, the upload's
 * made here) and every path is checked to stay under the root, so nothing a client sends becomes
 * a path. The only code that touches these files.
 */
@Injectable()
export class UploadStore {
  private readonly root: string;

  constructor(@Inject(UPLOADS_SETTINGS) config: UploadsConfig) {
    this.root = resolve(config.uploadDir || join(tmpdir(), 'giggles-uploads'));
  }

  async create(userId: string, fileName: string, size: number): Promise<UploadState> {
    const uploadId = randomUUID();
    const meta: UploadMeta = { uploadId, fileName, size, createdAt: new Date().toISOString() };
    await mkdir(this.userDir(userId), { recursive: true, mode: 0o700 });
    await writeFile(this.path(userId, uploadId, 'part'), new Uint8Array(), { flag: 'wx', mode: 0o600 });
    await writeFile(this.path(userId, uploadId, 'json'), JSON.stringify(meta), { flag: 'wx', mode: 0o600 });
    return { ...meta, offset: 0 };
  }

  /** undefined when there is no such upload of this user (or the id is no UUID). */
  async find(userId: string, uploadId: string): Promise<UploadState | undefined> {
    if (!UUID.test(uploadId)) return undefined;
    try {
      const meta = JSON.parse(await readFile(this.path(userId, uploadId, 'json'), 'utf8')) as UploadMeta;
      const { size } = await stat(this.path(userId, uploadId, 'part'));
      return { ...meta, offset: size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async count(userId: string): Promise<number> {
    try {
      return (await readdir(this.userDir(userId))).filter((name) => name.endsWith('.json')).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /**
   * Appends `body` at the end of the upload (the caller checked the offset), at most `limit`
   * bytes; more throws UploadOverflowError after keeping what fitted. Resolves with the new offset.
   */
  async append(userId: string, uploadId: string, body: Readable, limit: number): Promise<number> {
    const path = this.path(userId, uploadId, 'part');
    let written = 0;
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (written + chunk.length > limit) {
          done(new UploadOverflowError(`the chunk goes past the declared size or the chunk limit (${limit} bytes left)`));
          return;
        }
        written += chunk.length;
        done(null, chunk);
      },
    });
    // On overflow or a dropped connection whatever was appended stays: the client asks for the
    // offset (GET) and goes on from there.
    await pipeline(body, guard, createWriteStream(path, { flags: 'a' }));
    return (await stat(path)).size;
  }

  open(userId: string, uploadId: string): Readable {
    return createReadStream(this.path(userId, uploadId, 'part'), { highWaterMark: 128 * 1024 });
  }

  async remove(userId: string, uploadId: string): Promise<void> {
    if (!UUID.test(uploadId)) return;
    await rm(this.path(userId, uploadId, 'part'), { force: true });
    await rm(this.path(userId, uploadId, 'json'), { force: true });
  }

  /**
   * Deletes every upload whose bytes last changed before `cutoffMs` (its `.part`'s modification
   * time: a slow upload that is still going on keeps it fresh), and a `.json` or `.part` left
   * without its other half. Returns how many uploads went and the bytes they held.
   */
  async expireIdle(cutoffMs: number): Promise<{ uploads: number; bytes: number }> {
    const removed = { uploads: 0, bytes: 0 };
    let users: string[];
    try {
      users = (await readdir(this.root)).filter((name) => UUID.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return removed;
      throw error;
    }
    for (const userId of users) {
      const names = await readdir(this.userDir(userId)).catch(() => [] as string[]);
      const ids = new Set(names.map((name) => name.replace(/\.(part|json)$/, '')).filter((id) => UUID.test(id)));
      for (const uploadId of ids) {
        const part = await statOrUndefined(this.path(userId, uploadId, 'part'));
        const meta = await statOrUndefined(this.path(userId, uploadId, 'json'));
        const lastChange = Math.max(part?.mtimeMs ?? 0, meta?.mtimeMs ?? 0);
        if (part && meta && lastChange >= cutoffMs) continue;
        if (!part || !meta) {
          // Half an upload (a crash between the two writes of create or remove) is never usable.
          if (lastChange >= cutoffMs) continue;
        }
        await this.remove(userId, uploadId);
        removed.uploads++;
        removed.bytes += part?.size ?? 0;
      }
    }
    return removed;
  }

  private userDir(userId: string): string {
    if (!UUID.test(userId)) throw new Error('user ids are UUIDs');
    return this.inside(join(this.root, userId));
  }

  private path(userId: string, uploadId: string, kind: 'part' | 'json'): string {
    if (!UUID.test(uploadId)) throw new Error('upload ids are UUIDs');
    return this.inside(join(this.userDir(userId), `${uploadId}.${kind}`));
  }

  private inside(path: string): string {
    const full = resolve(path);
    if (!full.startsWith(this.root + sep)) throw new Error('upload path outside the upload directory');
    return full;
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
