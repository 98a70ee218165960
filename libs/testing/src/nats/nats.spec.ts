import { existsSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetJetStream } from './reset-jetstream';
import { type NatsHandle, startNats } from './start-nats';

let nats: NatsHandle;
let nc: NatsConnection;

async function streamNames(): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const names: string[] = [];
  for await (const n of jsm.streams.names()) names.push(n);
  return names.sort();
}

async function seed(): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'GIGGLES_DAY_JOBS', subjects: ['giggles.jobs.day'] });
  await jsm.streams.add({ name: 'SOMEONE_ELSES', subjects: ['other.>'] });
  await new Kvm(nc).create('giggles-state');
  await new Objm(nc).create('giggles-audio');
}

beforeAll(async () => {
  nats = await startNats({ mode: 'private' });
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('startNats', () => {
  it('starts a private JetStream server on a free port with its own store', async () => {
    expect(nats.private).toBe(true);
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.getAccountInfo();
    expect(info.streams).toBeGreaterThanOrEqual(0);
    expect(nats.logs()).toMatch(/Server is ready/);
  });

  it('resetJetStream deletes Giggles streams, KV and object buckets only', async () => {
    await seed();
    expect(await streamNames()).toEqual(['GIGGLES_DAY_JOBS', 'KV_giggles-state', 'OBJ_giggles-audio', 'SOMEONE_ELSES']);
    const deleted = await resetJetStream(nc);
    expect(deleted.sort()).toEqual(['GIGGLES_DAY_JOBS', 'KV_giggles-state', 'OBJ_giggles-audio']);
    expect(await streamNames()).toEqual(['SOMEONE_ELSES']);
    expect(await resetJetStream(nc)).toEqual([]);
  });

  it('uses an external server (as with NATS_URL) and resets it on start', async () => {
    await seed().catch(() => undefined);
    const external = await startNats({ url: nats.url });
    expect(external.private).toBe(false);
    expect(external.url).toBe(nats.url);
    expect(external.deletedStreams.sort()).toEqual(['GIGGLES_DAY_JOBS', 'KV_giggles-state', 'OBJ_giggles-audio']);
    await external.stop(); // must not stop the server it does not own
    expect(await streamNames()).toEqual(['SOMEONE_ELSES']);
  });

  it('stops its private server and removes the store', async () => {
    const own = await startNats({ mode: 'private' });
    expect(own.storeDir && existsSync(own.storeDir)).toBe(true);
    await own.stop();
    await expect(connect({ servers: own.url, timeout: 500, reconnect: false })).rejects.toThrow();
    expect(existsSync(own.storeDir as string)).toBe(false);
  });
});
