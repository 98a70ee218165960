import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermanentError } from '@giggles/messaging';
import { toBuffer } from '../src/clips/clip-store';
import { FsClipStore } from '../src/clips/fs-clip-store';
import { ResultsHandler } from '../src/results/results.handler';
import { type TransientObjects } from '../src/results/transient-objects';
import { BERLIN_DAY_START, event, HOUR, jobProgress, segmentResult, userId, windowOutcome } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/** Stands in for the JetStream object-store buckets (the adapter is wired with the consumers). */
class MemoryObjects implements TransientObjects {
  readonly clips = new Map<string, Buffer>();
  readonly audio = new Set<string>();

  async *readClip(name: string): AsyncIterable<Uint8Array> {
    const bytes = this.clips.get(name);
    if (!bytes) throw Object.assign(new Error(`object ${name} not found`), { name: 'ObjectNotFoundError' });
    yield bytes.subarray(0, 4);
    yield bytes.subarray(4);
  }

  async deleteClip(name: string): Promise<boolean> {
    return this.clips.delete(name);
  }

  async deleteAudio(name: string): Promise<boolean> {
    return this.audio.delete(name);
  }
}

describe('ResultsHandler', () => {
  let stack: Stack;
  let dir: string;
  let store: FsClipStore;

  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(join(tmpdir(), 'giggles-handler-'));
    store = await FsClipStore.open(dir);
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function setUp() {
    const user = userId();
    await stack.users.upsertUser({ id: user, email: `${user}@example.test`, timezone: 'Europe/Berlin' });
    const objects = new MemoryObjects();
    return { user, objects, handler: new ResultsHandler(stack.results, store, objects) };
  }

  function stage(objects: MemoryObjects, result: ReturnType<typeof segmentResult>): void {
    objects.audio.add(result.audioObject);
    for (const e of result.events) if (e.clipObject) objects.clips.set(e.clipObject, Buffer.from(`RIFF${e.clipObject}`));
  }

  it('stores the clips of new detections, then deletes the transient objects; a redelivery changes nothing', async () => {
    const { user, objects, handler } = await setUp();
    const result = segmentResult(user);
    stage(objects, result);

    const first = await handler.segmentResult(result);
    expect(first).toMatchObject({ applied: true, detectionsInserted: 2, clipsStored: 2, clipsMissing: [] });
    for (const stored of first.events) {
      expect((await toBuffer(await store.get(stored.clipPath!))).toString()).toBe(`RIFF${stored.clipObject}`);
    }
    expect(objects.clips.size).toBe(0);
    expect(objects.audio.size).toBe(0);
    expect(await store.list(user)).toHaveLength(2);

    const again = await handler.segmentResult(result);
    expect(again).toMatchObject({ applied: false, clipsStored: 2, clipsMissing: [] });
    expect(await store.list(user)).toHaveLength(2);
  });

  it('does not store the clip of a duplicate laugh, but still removes its object', async () => {
    const { user, objects, handler } = await setUp();
    const laugh = BERLIN_DAY_START + 90 * 60_000;
    const a = segmentResult(user, { events: [event(laugh)] });
    const b = segmentResult(user, { windowStartMs: BERLIN_DAY_START + HOUR, events: [event(laugh + 300)] });
    stage(objects, a);
    stage(objects, b);
    await handler.segmentResult(a);
    const second = await handler.segmentResult(b);
    expect(second).toMatchObject({ duplicatesSkipped: 1, clipsStored: 0 });
    expect(await store.list(user)).toHaveLength(1);
    expect(objects.clips.size).toBe(0);
  });

  it('reports clips whose objects expired before they could be stored', async () => {
    const { user, objects, handler } = await setUp();
    const result = segmentResult(user);
    stage(objects, result);
    objects.clips.delete(result.events[1].clipObject!);
    const handled = await handler.segmentResult(result);
    expect(handled.clipsStored).toBe(1);
    expect(handled.clipsMissing).toEqual([handled.events[1].clipPath]);
  });

  it('passes window outcomes and job progress through', async () => {
    const { user, handler } = await setUp();
    expect(await handler.jobProgress(jobProgress(user, { windowsPlanned: 1 }))).toMatchObject({ status: 'planned' });
    expect(await handler.windowOutcome(windowOutcome(user))).toMatchObject({ applied: true, status: 'empty' });
    expect(await handler.jobProgress(jobProgress(user, { windowsPlanned: 1 }))).toMatchObject({ status: 'done' });
  });

  it('marks data the database rejects as permanent (dead-letter, do not retry)', async () => {
    const { user, handler } = await setUp();
    const error = await handler.windowOutcome(windowOutcome(user, { localDate: '2024-02-30' })).catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    const unknownUser = await handler.windowOutcome(windowOutcome(userId())).catch((e: unknown) => e);
    expect(isPermanentError(unknownUser)).toBe(true);
  });
});
