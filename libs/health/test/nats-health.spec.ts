import 'reflect-metadata';
import { Inject, Injectable, Module, type INestApplication, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { HEALTH_SUBJECTS } from '@giggles/contracts';
import { startNats, type NatsHandle } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthModule, HealthRegistry, parseServiceHealthReply, ServiceHealthProbe, type ServiceName } from '../src';

/** A Nest app per Giggles service name, each with its own NATS connection, as the services have. */
async function startServiceLike(service: ServiceName, natsUrl: string): Promise<INestApplication> {
  @Injectable()
  class Connection implements OnModuleInit, OnApplicationShutdown {
    nc: NatsConnection | undefined;
    constructor(@Inject(HealthRegistry) private readonly registry: HealthRegistry) {}
    async onModuleInit(): Promise<void> {
      this.nc = await connect({ servers: natsUrl, name: `giggles-${service}` });
      this.registry.addNats(this.nc);
    }
    async onApplicationShutdown(): Promise<void> {
      this.registry.remove('nats');
      await this.nc?.drain();
    }
  }
  @Module({ imports: [HealthModule.forService({ service, memoryLimitMb: 1_048_576 })], providers: [Connection] })
  class ServiceModule {}
  const app = await NestFactory.create(ServiceModule, { logger: false });
  await app.init();
  return app;
}

describe('health over NATS', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  const apps = new Map<ServiceName, INestApplication>();
  const names = Object.keys(HEALTH_SUBJECTS) as ServiceName[];

  beforeAll(async () => {
    nats = await startNats({ mode: 'private' });
    nc = await connect({ servers: nats.url });
    for (const name of names) apps.set(name, await startServiceLike(name, nats.url));
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await nc?.close();
    await nats?.stop();
  });

  it('each service answers its subject with the report /health/ready gives', async () => {
    const msg = await nc.request(HEALTH_SUBJECTS.persistence, '', { timeout: 2_000 });
    const reply = parseServiceHealthReply(msg.data, HEALTH_SUBJECTS.persistence);
    expect(reply).toMatchObject({ service: 'persistence', status: 'ok' });
    expect(Object.keys(reply.details).sort()).toEqual(['memory', 'nats']);
    expect(reply.details.nats.status).toBe('up');
    expect(Date.parse(reply.at)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('all up: the probe says ok, quickly', async () => {
    const probe = new ServiceHealthProbe(() => nc, { cacheMs: 0 });
    const started = performance.now();
    const health = await probe.probe();
    const tookMs = performance.now() - started;
    expect(health.status).toBe('ok');
    expect(health.notReady).toEqual([]);
    expect(Object.keys(health.services).sort()).toEqual([...names].sort());
    for (const name of names) expect(health.services[name].status).toBe('up');
    expect(tookMs).toBeLessThan(500);
  });

  it('a failing indicator makes its service down, naming the indicator and its message', async () => {
    const registry = apps.get('scheduler')!.get(HealthRegistry);
    registry.add('scheduler', () => ({ scheduler: { status: 'down', message: 'no successful tick for 1000 s' } }));
    const health = await new ServiceHealthProbe(() => nc, { cacheMs: 0 }).probe();
    expect(health.status).toBe('error');
    expect(health.notReady).toEqual(['scheduler']);
    expect(health.services.scheduler).toMatchObject({ status: 'down', failing: { scheduler: 'no successful tick for 1000 s' } });
    registry.remove('scheduler');
  });

  it('a stopped service is "unreachable" after the timeout, the others still up', async () => {
    await apps.get('inference')!.close();
    apps.delete('inference');
    const probe = new ServiceHealthProbe(() => nc, { cacheMs: 0, timeoutMs: 300 });
    const health = await probe.probe();
    expect(health.status).toBe('error');
    expect(health.notReady).toEqual(['inference']);
    expect(health.services.inference).toMatchObject({ status: 'unreachable', message: 'no instance is listening' });
    expect(health.services.ingestion.status).toBe('up');
  });

  it('a service that hangs is unreachable with the timeout named', async () => {
    const silent = nc.subscribe(HEALTH_SUBJECTS.inference, { callback: () => undefined });
    await nc.flush();
    const health = await new ServiceHealthProbe(() => nc, { cacheMs: 0, timeoutMs: 300, services: ['inference'] }).probe();
    expect(health.services.inference).toMatchObject({ status: 'unreachable', message: 'no answer within 300 ms' });
    silent.unsubscribe();
  });

  it('reuses a result within cacheMs, asks again after it', async () => {
    let now = 1_000_000;
    const probe = new ServiceHealthProbe(() => nc, { cacheMs: 5_000, now: () => now, services: ['ingestion'] });
    const first = await probe.probe();
    now += 4_000;
    expect(await probe.probe()).toBe(first);
    now += 2_000;
    expect(await probe.probe()).not.toBe(first);
  });

  it('a reply that is not a health report is refused with the reason', () => {
    expect(() => parseServiceHealthReply(new TextEncoder().encode('nope'), 's')).toThrow('the reply on s is not JSON');
    expect(() => parseServiceHealthReply(new TextEncoder().encode('{"service":"x"}'), 's')).toThrow(/lacks service, status/);
  });
});
