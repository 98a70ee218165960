import 'reflect-metadata';
import { Inject, Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNats, type NatsHandle } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEventLoop, checkMemory, checkPipeline, EventLoopMonitor, HealthModule, HealthRegistry, MetricsService, PipelineProgress } from '../src';

describe('checkMemory', () => {
  const mb = 1024 * 1024;
  it('is up below the degraded ratio, up+degraded above it, down above the down ratio', () => {
    expect(checkMemory('memory', { limitMb: 100, rssBytes: () => 50 * mb }).memory).toMatchObject({ status: 'up', degraded: false, usedPercent: 50 });
    expect(checkMemory('memory', { limitMb: 100, rssBytes: () => 92 * mb }).memory).toMatchObject({ status: 'up', degraded: true });
    expect(checkMemory('memory', { limitMb: 100, rssBytes: () => 96 * mb }).memory).toMatchObject({ status: 'down', degraded: true });
    expect(checkMemory('memory', { limitMb: 100, downRatio: 0.5, rssBytes: () => 60 * mb }).memory.status).toBe('down');
  });
});

describe('checkEventLoop', () => {
  it('is down when the event loop was blocked longer than allowed since the last probe, up again after', async () => {
    const monitor = new EventLoopMonitor(10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const until = Date.now() + 250;
    while (Date.now() < until) {
      // block the loop
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    const blocked = checkEventLoop('eventLoop', monitor, 100).eventLoop;
    expect(blocked.status).toBe('down');
    expect(blocked.maxMs).toBeGreaterThanOrEqual(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checkEventLoop('eventLoop', monitor, 100).eventLoop.status).toBe('up');
    monitor.stop();
  });
});

describe('checkPipeline', () => {
  function clock() {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }
  const counts = (pending: number, ackPending = 0) => async () => ({ pending, ackPending, redelivered: 0, waitingPulls: 0 });

  it('is up when nothing waits, however long it has been idle', async () => {
    const c = clock();
    const progress = new PipelineProgress(c.now);
    c.advance(3_600_000);
    const result = await checkPipeline('pipeline', { counts: counts(0), progress, stallAfterMs: 60_000 });
    expect(result.pipeline.status).toBe('up');
  });

  it('is down when messages wait and nothing progressed for longer than the stall limit', async () => {
    const c = clock();
    const progress = new PipelineProgress(c.now);
    c.advance(30_000);
    expect((await checkPipeline('pipeline', { counts: counts(2), progress, stallAfterMs: 60_000 })).pipeline.status).toBe('up');
    c.advance(31_000);
    const stalled = await checkPipeline('pipeline', { counts: counts(0, 1), progress, stallAfterMs: 60_000 });
    expect(stalled.pipeline).toMatchObject({ status: 'down', waiting: 1 });
    expect(String(stalled.pipeline.message)).toMatch(/no progress for 61 s/);
    progress.markProgress();
    expect((await checkPipeline('pipeline', { counts: counts(2), progress, stallAfterMs: 60_000 })).pipeline.status).toBe('up');
  });

  it('is down when the runner stopped or the counts cannot be read', async () => {
    const progress = new PipelineProgress();
    const stopped = await checkPipeline('pipeline', { counts: counts(0), progress, stallAfterMs: 1, runner: () => ({ running: false, inFlight: 0 }) });
    expect(stopped.pipeline.status).toBe('down');
    const unreadable = await checkPipeline('pipeline', {
      counts: () => Promise.reject(new Error('timeout')),
      progress,
      stallAfterMs: 1,
    });
    expect(unreadable.pipeline).toMatchObject({ status: 'down', message: 'cannot read consumer counts: timeout' });
  });
});

describe('HealthModule over a real NATS', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let app: INestApplication;
  let base: string;
  const progress = new PipelineProgress();
  const stream = `HEALTH_${process.pid}_${Date.now()}`;
  const subject = `health.${process.pid}.${Date.now()}`;

  @Injectable()
  class Worker implements OnModuleInit {
    constructor(
      @Inject(HealthRegistry) private readonly registry: HealthRegistry,
      @Inject(MetricsService) private readonly metrics: MetricsService,
    ) {}
    onModuleInit(): void {
      this.registry.addNats(nc);
      this.registry.addJetStreamWorker({ nc, stream, durable: 'worker', progress, stallAfterMs: 200 });
      this.metrics.counter({ name: 'test_jobs_total', help: 'jobs', labelNames: ['outcome'] }).inc({ outcome: 'ok' }, 3);
    }
  }

  @Module({ imports: [HealthModule.forService({ service: 'health-test', memoryLimitMb: 1_048_576 })], providers: [Worker] })
  class TestModule {}

  beforeAll(async () => {
    nats = await startNats({ mode: 'private' });
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    app = await NestFactory.create(TestModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await nats?.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  it('live reports the event loop only', async () => {
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(Object.keys(JSON.parse(live.text).info)).toEqual(['eventLoop']);
  });

  it('ready is 503 naming the missing consumer, 200 once it exists, 503 when messages wait with no progress', async () => {
    const missing = await get('/health/ready');
    expect(missing.status).toBe(503);
    const body = JSON.parse(missing.text);
    expect(body.error.consumer.message).toMatch(/consumer worker not found/);
    expect(body.info.nats.status).toBe('up');
    expect(body.info.memory.status).toBe('up');

    await jsm.consumers.add(stream, { durable_name: 'worker', ack_policy: 'explicit' as never });
    progress.markProgress();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the probe's cache
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text).info.consumer).toMatchObject({ status: 'up', pending: 0, ackPending: 0 });

    const js = (await import('@nats-io/jetstream')).jetstream(nc);
    await js.publish(subject, 'work');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const stalled = await get('/health/ready');
    expect(stalled.status).toBe(503);
    expect(JSON.parse(stalled.text).error.pipeline).toMatchObject({ status: 'down', waiting: 1 });
  });

  it('serves Prometheus metrics with default metrics and service counters', async () => {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/process_resident_memory_bytes\{service="health-test"\}/);
    expect(metrics.text).toMatch(/test_jobs_total\{outcome="ok",service="health-test"\} 3/);
  });

  it('ready reports NATS down once the connection is closed', async () => {
    const other = await connect({ servers: nats.url });
    const registry = app.get(HealthRegistry);
    registry.addNats(other, 'nats2');
    await other.close();
    const ready = await get('/health/ready');
    expect(JSON.parse(ready.text).error.nats2).toMatchObject({ status: 'down', message: 'connection closed' });
    registry.remove('nats2');
  });
});
