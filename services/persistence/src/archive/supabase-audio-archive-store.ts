/**
 * The archive in a Supabase Storage bucket (AUDIO_ARCHIVE=supabase, AUDIO_ARCHIVE_BUCKET), for
 * deployments without a volume. Uploads stream (storage-js sends a Node stream with
 * `duplex: 'half'`); downloads come back from storage-js as a Blob, so one window is held in
 * memory while it is read (a 2-hour window of Opus is about 15 MB). Listing, deleting and
 * lookups are the clip store's. Tested against the Storage simulator of @giggles/testing.
 */
import { Readable } from 'node:stream';
import { safeSegments } from '../clips/clip-path';
import { toBuffer } from '../clips/clip-store';
import { SupabaseClipStore } from '../clips/supabase-clip-store';
import { type GigglesSupabaseClient } from '../database/supabase-client';
import { measured, type ArchivedFile, type ByteRange } from './audio-archive-store';
import { ClipStoreArchive } from './clip-store-archive';

export class SupabaseAudioArchiveStore extends ClipStoreArchive<SupabaseClipStore> {
  constructor(
    private readonly client: GigglesSupabaseClient,
    private readonly bucket: string,
  ) {
    super(new SupabaseClipStore(client, bucket));
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

  get(path: string, range?: ByteRange): Promise<Readable> {
    return this.reading(path, async () => {
      const whole = await this.files.get(path);
      if (!range) return whole;
      return Readable.from((await toBuffer(whole)).subarray(range.start, range.end + 1));
    });
  }
}
