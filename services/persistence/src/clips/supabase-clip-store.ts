/**
 * Clips in a Supabase Storage bucket (`storage.from(bucket)` of the service-role client), for
 * deployments without a persistent volume. Reads stream, whole or by byte range, through the
 * StorageObjectReader (storage-js would download each object into a Blob). Tested against the
 * Storage simulator of @giggles/testing (over /storage/v1), not yet against hosted Supabase Storage.
 */
import { type Readable } from 'node:stream';
import { safeSegments } from './clip-path';
import { toBuffer, type ByteRange, type ClipData, type ClipStore } from './clip-store';
import { type StorageObjectReader } from './storage-object-reader';
import { type GigglesSupabaseClient } from '../database/supabase-client';

const PAGE = 1000;

interface StorageErrorLike {
  message: string;
  status?: number;
  statusCode?: string;
}

function isNotFound(error: StorageErrorLike): boolean {
  // Storage answers a missing object with HTTP 400 + statusCode "404" (or 404 directly).
  return error.status === 404 || error.statusCode === '404' || /not.?found/i.test(error.message);
}

export class SupabaseClipStore implements ClipStore {
  constructor(
    private readonly client: GigglesSupabaseClient,
    private readonly bucket: string,
    private readonly reader: StorageObjectReader,
  ) {}

  private get objects() {
    return this.client.storage.from(this.bucket);
  }

  async put(path: string, data: ClipData): Promise<void> {
    const clean = safeSegments(path).join('/');
    const { error } = await this.objects.upload(clean, await toBuffer(data), {
      contentType: 'audio/wav',
      upsert: true,
    });
    if (error) throw new Error(`clip upload failed: ${error.message}`);
  }

  async get(path: string, range?: ByteRange): Promise<Readable> {
    return this.reader.read(this.bucket, safeSegments(path).join('/'), range);
  }

  async delete(path: string): Promise<boolean> {
    const clean = safeSegments(path).join('/');
    const { data, error } = await this.objects.remove([clean]);
    if (error) throw new Error(`clip delete failed: ${error.message}`);
    return data.length > 0;
  }

  async exists(path: string): Promise<boolean> {
    const clean = safeSegments(path).join('/');
    const { data, error } = await this.objects.exists(clean);
    if (error) {
      if (isNotFound(error as StorageErrorLike)) return false;
      throw new Error(`clip lookup failed: ${error.message}`);
    }
    return data;
  }

  async list(prefix: string): Promise<string[]> {
    const found: string[] = [];
    await this.collect(safeSegments(prefix, { allowEmpty: true }).join('/'), found);
    return found.sort();
  }

  /** Storage lists one folder level at a time; folders come back with a null id. */
  private async collect(folder: string, found: string[]): Promise<void> {
    for (let offset = 0; ; offset += PAGE) {
      const { data, error } = await this.objects.list(folder, { limit: PAGE, offset, sortBy: { column: 'name', order: 'asc' } });
      if (error) throw new Error(`clip listing failed: ${error.message}`);
      for (const item of data) {
        const path = folder ? `${folder}/${item.name}` : item.name;
        if (item.id === null) await this.collect(path, found);
        else found.push(path);
      }
      if (data.length < PAGE) return;
    }
  }
}
