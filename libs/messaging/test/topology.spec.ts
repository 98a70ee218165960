import { BUCKETS, STREAMS } from '@giggles/contracts';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopology, gigglesBuckets, gigglesStreams, objectStoreStreamName, type StreamSpec } from '../src';
import { connectTestNats, deleteStreams, uniqueNames, type Nats } from './nats-fixture';

describe('production topology', () => {
  it('names every contracts stream and bucket, dead letters kept, work deleted on ack', () => {
    const streams = gigglesStreams();
    expect(streams.map((s) => s.name).sort()).toEqual(Object.values(STREAMS).map((s) => s.name).sort());
    expect(streams.find((s) => s.name === STREAMS.deadLetters.name)?.kind).toBe('dead-letter');
    expect(streams.filter((s) => s.kind === 'work')).toHaveLength(3);
    expect(gigglesBuckets().map((b) => [b.name, b.ttlMs])).toEqual([
      [BUCKETS.audio, 86_400_000],
      [BUCKETS.clips, 86_400_000],
    ]);
  });
});

describe('ensureTopology', () => {
  let nats: Nats;
  const names = uniqueNames();
  const streams: StreamSpec[] = [
    { name: names.workStream, subjects: [names.workSubject], kind: 'work' },
    { name: names.deadStream, subjects: [`${names.deadPrefix}>`], kind: 'dead-letter' },
  ];

  beforeAll(async () => {
    nats = await connectTestNats();
  });

  afterAll(async () => {
    await deleteStreams(nats.jsm, [names.workStream, names.deadStream, objectStoreStreamName(names.bucket)]);
    await nats.nc.close();
  });

  it('creates work-queue and limits streams and a bucket with a TTL, then is idempotent', async () => {
    const buckets = [{ name: names.bucket, ttlMs: 3_600_000 }];
    const first = await ensureTopology(nats.jsm, { streams, buckets, duplicateWindowMs: 90_000 });
    expect(first.streams.map((s) => s.action)).toEqual(['created', 'created']);
    expect(first.buckets).toEqual([{ name: names.bucket, action: 'created' }]);

    const work = await nats.jsm.streams.info(names.workStream);
    expect(work.config.retention).toBe(RetentionPolicy.Workqueue);
    expect(work.config.storage).toBe(StorageType.File);
    expect(work.config.duplicate_window).toBe(nanos(90_000));
    expect(work.config.max_age).toBe(nanos(7 * 24 * 3_600_000));
    const dead = await nats.jsm.streams.info(names.deadStream);
    expect(dead.config.retention).toBe(RetentionPolicy.Limits);
    expect(dead.config.max_age).toBe(nanos(30 * 24 * 3_600_000));
    const bucket = await nats.jsm.streams.info(objectStoreStreamName(names.bucket));
    expect(bucket.config.max_age).toBe(nanos(3_600_000));

    const again = await ensureTopology(nats.jsm, { streams, buckets, duplicateWindowMs: 90_000 });
    expect([...again.streams, ...again.buckets].every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('updates changed settings in place', async () => {
    const report = await ensureTopology(nats.jsm, { streams, buckets: [{ name: names.bucket, ttlMs: 7_200_000 }], duplicateWindowMs: 120_000 });
    expect(report.streams.map((s) => s.action)).toEqual(['updated', 'updated']);
    expect(report.buckets[0]?.action).toBe('updated');
    expect((await nats.jsm.streams.info(names.workStream)).config.duplicate_window).toBe(nanos(120_000));
    expect((await nats.jsm.streams.info(objectStoreStreamName(names.bucket))).config.max_age).toBe(nanos(7_200_000));
  });

  it('refuses to change retention, which JetStream cannot do in place', async () => {
    const flipped: StreamSpec[] = [{ name: names.workStream, subjects: [names.workSubject], kind: 'dead-letter' }];
    await expect(ensureTopology(nats.jsm, { streams: flipped, buckets: [] })).rejects.toThrow(/has retention workqueue, expected limits/);
  });
});
