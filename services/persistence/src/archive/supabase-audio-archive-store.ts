/**
 * The archive in a Supabase Storage bucket (AUDIO_ARCHIVE=supabase, AUDIO_ARCHIVE_BUCKET), for
 * deployments without a volume. Uploads stream (storage-js sends a Node stream with
 * `duplex: 'half'`); reads stream too, whole or by byte range (the day zip's 256 KiB chunks), through
 * the clip store's StorageObjectReader, so a window (~15 MB for two hours of Opus) is never held
 * in memory. Listing, deleting and lookups are the clip store's. Tested against the Storage
 * simulator of @giggles/testing.
 */
import { Readable } from 'node:stream';
import { safeSegments } from '../clips/clip-path';
import { type StorageObjectReader } from '../clips/storage-object-reader';
import { SupabaseClipStore } from '../clips/supabase-clip-store';
import { type GigglesSupabaseClient } from '../database/supabase-client';
import { measured, type ArchivedFile } from './audio-archive-store';
import { ClipStoreArchive } from './clip-store-archive';

export class SupabaseAudioArchiveStore extends ClipStoreArchive<SupabaseClipStore> {
  constructor(
    private readonly client: GigglesSupabaseClient,
    private readonly bucket: string,
    reader: StorageObjectReader,
  ) {
    super(new SupabaseClipStore(client, bucket, reader));
  }

  async put(path: string, data: AsyncIterable<Uint8Array>): Promise<ArchivedFile> {
    const clean = safeSegments(path).join('/');
    const { stream, result } = measured(data);
    const { error } = await this.client.storage.from(this.bucket).upload(clean, Readable.from(stream, { objectMode: false }), {
      contentType: 'audio/ogg',
      upsert: true,
      duplex: 'half',
    });
    if (error) throw new Error(`archive upload failed: ${error.message}`);
    return result();
  }
}
