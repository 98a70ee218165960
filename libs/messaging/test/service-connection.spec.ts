import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceNatsConnection } from '../src';
import { deleteStreams, recordingLogger, uniqueNames } from './nats-fixture';

describe('ServiceNatsConnection', () => {
  const names = uniqueNames();
  const logger = recordingLogger();
  const events: string[] = [];
  const connection = new ServiceNatsConnection({
    url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    name: `giggles-test-${names.id}`,
    topology: { streams: [], buckets: [{ name: names.bucket, ttlMs: 60_000 }] },
    buckets: [names.bucket],
    logger,
    onConnected: () => events.push('connected'),
    onClosing: () => events.push('closing'),
  });

  beforeAll(async () => {
    await connection.onModuleInit();
  });

  afterAll(async () => {
    await connection.onApplicationShutdown();
  });

  it('connects, makes sure of the topology, opens the named buckets and says so', async () => {
    expect(events).toEqual(['connected']);
    expect(connection.nc.isClosed()).toBe(false);
    expect((await connection.jsm.streams.info(`OBJ_${names.bucket}`)).config.name).toBe(`OBJ_${names.bucket}`);
    await connection.bucket(names.bucket).store.putBlob({ name: 'x' }, new Uint8Array([1, 2, 3]));
    expect((await connection.bucket(names.bucket).store.info('x'))?.size).toBe(3);
    expect(() => connection.bucket('not-opened')).toThrow(/not opened/);
    expect(logger.lines.find((l) => l.message === 'connected to NATS')).toBeDefined();
  });

  it('drains once at shutdown, telling the service first; a second shutdown is a no-op', async () => {
    const nc = connection.nc;
    await connection.onApplicationShutdown();
    expect(nc.isClosed()).toBe(true);
    expect(events).toEqual(['connected', 'closing']);
    await connection.onApplicationShutdown();
    expect(events).toEqual(['connected', 'closing']);
    const cleanup = new ServiceNatsConnection({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'cleanup', topology: { streams: [], buckets: [] }, logger });
    await cleanup.onModuleInit();
    await deleteStreams(cleanup.jsm, [`OBJ_${names.bucket}`]);
    await cleanup.onApplicationShutdown();
  });

  it('refuses to hand out the connection before it is open', () => {
    const unopened = new ServiceNatsConnection({ url: 'nats://127.0.0.1:1', name: 'never', logger });
    expect(() => unopened.nc).toThrow(/not connected/);
  });
});
