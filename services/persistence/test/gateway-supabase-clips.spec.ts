/**
 * The gateway's clip reads and deletes through Supabase Storage (the harness's Storage
 * simulator) instead of the filesystem: byte ranges and ETag, not_found for a missing object,
 * and deleting all of one user's data removing that user's objects only.
 */
import { AudioArchiveRepository } from '../src/archive/audio-archive.repository';
import { AudioArchiveService } from '../src/archive/audio-archive.service';
import { type AudioBucket } from '../src/archive/audio-bucket';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_ERROR_CODES } from '@giggles/contracts';
import { StorageObjectReader } from '../src/clips/storage-object-reader';
import { SupabaseClipStore } from '../src/clips/supabase-clip-store';
import { createPersistenceLogger } from '../src/logging/logger';
import { AccountRepository } from '../src/repositories/account.repository';
import { LaughsRepository } from '../src/repositories/laughs.repository';
import { AccountService } from '../src/services/account.service';
import { ClipReaderService } from '../src/services/clip-reader.service';
import { UserClipFiles } from '../src/services/user-clip-files';
import { BERLIN_DAY_START, event, segmentResult } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const CLIP = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7) % 256));

const NO_BUCKET: AudioBucket = {
  readAudio: () => {
    throw new Error('not used');
  },
  putAudio: () => Promise.reject(new Error('not used')),
};

describe('gateway clips in Supabase Storage', () => {
  let stack: Stack;
  let store: SupabaseClipStore;
  let reader: ClipReaderService;
  let account: AccountService;

  beforeAll(async () => {
    stack = await startStack({ storageBuckets: ['clips'] });
    const service = stack.client(stack.harness.serviceRoleKey);
    const logger = createPersistenceLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
    store = new SupabaseClipStore(service, 'clips', new StorageObjectReader({ url: stack.harness.supabaseUrl!, serviceRoleKey: stack.harness.serviceRoleKey }));
    reader = new ClipReaderService(new LaughsRepository(service), store);
    // The deployment keeps no audio here (AUDIO_ARCHIVE=off): deleting a user touches no archive.
    const noArchive = new AudioArchiveService({ mode: 'off', retentionDays: 0 }, new AudioArchiveRepository(service), NO_BUCKET, logger, null);
    account = new AccountService(new AccountRepository(service), new UserClipFiles(store, stack.detections, logger), logger, noArchive);
  });
  afterAll(() => stack?.stop());

  /** A user with one laugh whose clip is stored in the bucket. */
  async function userWithClip(): Promise<{ user: string; laughId: string; path: string }> {
    const user = crypto.randomUUID();
    await stack.users.upsertUser({ id: user, email: `${user}@example.test`, timezone: 'Europe/Berlin' });
    const written = await stack.results.recordSegmentResult(segmentResult(user, { events: [event(BERLIN_DAY_START + 60_000)] }));
    const [stored] = written.events;
    await store.put(stored.clipPath!, CLIP);
    return { user, laughId: stored.detectionId!, path: stored.clipPath! };
  }

  it('reads ranges with a stable ETag; a missing object is not_found', async () => {
    const { user, laughId, path } = await userWithClip();
    const head = await reader.readClip({ userId: user, laughId, length: 44 });
    expect(head).toMatchObject({ size: CLIP.length, offset: 0, contentType: 'audio/wav' });
    expect(Buffer.from(head.dataBase64, 'base64')).toEqual(CLIP.subarray(0, 44));
    const rest = await reader.readClip({ userId: user, laughId, offset: 44 });
    expect(Buffer.from(rest.dataBase64, 'base64')).toEqual(CLIP.subarray(44));
    expect(rest.etag).toBe(head.etag);
    await expect(reader.readClip({ userId: user, laughId, offset: CLIP.length + 5 })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.rangeNotSatisfiable });
    await expect(reader.readClip({ userId: crypto.randomUUID(), laughId })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });

    await store.delete(path);
    await expect(reader.readClip({ userId: user, laughId })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
  });

  it('deleting all data removes only that user\'s objects', async () => {
    const gone = await userWithClip();
    const stays = await userWithClip();
    const reply = await account.deleteUserData({ userId: gone.user });
    expect(reply).toMatchObject({ detections: 1, clips: 1, segments: 1, userRemoved: true });
    expect(await store.list(`${gone.user}/`)).toEqual([]);
    expect(await store.list(`${stays.user}/`)).toEqual([stays.path]);
    expect(Buffer.from((await reader.readClip({ userId: stays.user, laughId: stays.laughId })).dataBase64, 'base64')).toEqual(CLIP);
  });
});
