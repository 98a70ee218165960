import { BUCKETS, STREAMS } from '@giggles/contracts';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { nanos } from '@nats-io/transport-node';

/** A stream to create: `work` streams delete a message once acked; `dead-letter` streams keep them. */
export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  kind: 'work' | 'dead-letter';
}

/** An object-store bucket; objects older than `ttlMs` expire on their own. */
export interface BucketSpec {
  name: string;
  ttlMs: number;
  description?: string;
}

export interface TopologyOptions {
  streams?: readonly StreamSpec[];
  buckets?: readonly BucketSpec[];
  /** Same Nats-Msg-Id inside this window = no-op publish. */
  duplicateWindowMs?: number;
  /** Work nobody picked up within this long is dropped (its audio has expired long before). */
  workMaxAgeMs?: number;
  deadLetterMaxAgeMs?: number;
  replicas?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface TopologySettings {
  duplicateWindowMs: number;
  workMaxAgeMs: number;
  deadLetterMaxAgeMs: number;
  audioTtlMs: number;
  clipsTtlMs: number;
  replicas: number;
}

export const TOPOLOGY_DEFAULTS: Readonly<TopologySettings> = {
  duplicateWindowMs: 2 * MINUTE,
  workMaxAgeMs: 7 * DAY,
  deadLetterMaxAgeMs: 30 * DAY,
  audioTtlMs: DAY,
  clipsTtlMs: DAY,
  replicas: 1,
};

/** The production streams, named by contracts. */
export function gigglesStreams(): StreamSpec[] {
  return [
    { ...STREAMS.dayJobs, kind: 'work' },
    { ...STREAMS.segments, kind: 'work' },
    { ...STREAMS.results, kind: 'work' },
    { ...STREAMS.deadLetters, kind: 'dead-letter' },
  ];
}

/** The production buckets. Clips only wait there until persistence moves them to clip storage. */
export function gigglesBuckets(ttl: { audioTtlMs?: number; clipsTtlMs?: number } = {}): BucketSpec[] {
  return [
    { name: BUCKETS.audio, ttlMs: ttl.audioTtlMs ?? TOPOLOGY_DEFAULTS.audioTtlMs, description: 'Downloaded audio windows awaiting inference' },
    { name: BUCKETS.clips, ttlMs: ttl.clipsTtlMs ?? TOPOLOGY_DEFAULTS.clipsTtlMs, description: 'Cut clips awaiting persistence' },
  ];
}

export interface TopologyReport {
  streams: { name: string; action: 'created' | 'updated' | 'unchanged' }[];
  buckets: { name: string; action: 'created' | 'updated' | 'unchanged' }[];
}

/**
 * Creates the streams and buckets, or brings existing ones in line with the spec. Safe to run
 * from every service at every boot, concurrently. A stream whose retention differs is an error:
 * JetStream cannot change retention in place, and guessing would lose messages.
 */
export async function ensureTopology(jsm: JetStreamManager, options: TopologyOptions = {}): Promise<TopologyReport> {
  const settings: TopologySettings = {
    ...TOPOLOGY_DEFAULTS,
    ...definedOnly({
      duplicateWindowMs: options.duplicateWindowMs,
      workMaxAgeMs: options.workMaxAgeMs,
      deadLetterMaxAgeMs: options.deadLetterMaxAgeMs,
      replicas: options.replicas,
    }),
  };
  const report: TopologyReport = { streams: [], buckets: [] };
  for (const spec of options.streams ?? gigglesStreams()) {
    const config = streamConfig(spec, settings);
    report.streams.push({ name: spec.name, action: await ensureStream(jsm, config) });
  }
  for (const spec of options.buckets ?? gigglesBuckets()) {
    report.buckets.push({ name: spec.name, action: await ensureBucket(jsm, spec, settings.replicas) });
  }
  return report;
}

function streamConfig(spec: StreamSpec, settings: TopologySettings): Partial<StreamConfig> & { name: string } {
  const work = spec.kind === 'work';
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    retention: work ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(work ? settings.workMaxAgeMs : settings.deadLetterMaxAgeMs),
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
  };
}

async function ensureStream(jsm: JetStreamManager, desired: Partial<StreamConfig> & { name: string }): Promise<'created' | 'updated' | 'unchanged'> {
  let existing = await streamInfo(jsm, desired.name);
  if (!existing) {
    try {
      await jsm.streams.add(desired);
      return 'created';
    } catch (error) {
      // Another service created it between our lookup and add: fall through to the update path.
      existing = await streamInfo(jsm, desired.name);
      if (!existing) throw error;
    }
  }
  if (existing.config.retention !== desired.retention) {
    throw new Error(
      `stream ${desired.name} has retention ${existing.config.retention}, expected ${desired.retention}; ` +
        'JetStream cannot change retention in place — migrate the stream by hand',
    );
  }
  if (!differs(existing.config, desired)) return 'unchanged';
  await jsm.streams.update(desired.name, { ...existing.config, ...desired });
  return 'updated';
}

async function ensureBucket(jsm: JetStreamManager, spec: BucketSpec, replicas: number): Promise<'created' | 'updated' | 'unchanged'> {
  const streamName = objectStoreStreamName(spec.name);
  const before = await streamInfo(jsm, streamName);
  const store = await new Objm(jsm.jetstream()).create(spec.name, {
    ttl: nanos(spec.ttlMs),
    storage: StorageType.File,
    replicas,
    description: spec.description,
  });
  if (!before) {
    await store.status(); // surfaces a failed create, which Objm.create does not report
    return 'created';
  }
  if (before.config.max_age === nanos(spec.ttlMs)) return 'unchanged';
  await jsm.streams.update(streamName, { ...before.config, max_age: nanos(spec.ttlMs) });
  return 'updated';
}

/** The stream backing an object-store bucket (nats.js naming). */
export function objectStoreStreamName(bucket: string): string {
  return `OBJ_${bucket}`;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
}

function differs(actual: StreamConfig, desired: Partial<StreamConfig>): boolean {
  return Object.entries(desired).some(([key, value]) => JSON.stringify(actual[key as keyof StreamConfig]) !== JSON.stringify(value));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
