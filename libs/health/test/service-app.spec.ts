import 'reflect-metadata';
import { createServer, type Server } from 'node:net';
import { ConsoleLogger, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceApp } from '../src';

describe('startServiceApp', () => {
  let taken: Server;
  let takenPort: number;
  const events: string[] = [];
  const module = (): DynamicModule => {
    @Module({ providers: [{ provide: 'probe', useValue: { onApplicationShutdown: () => void events.push('shut down') } }] })
    class ProbeModule {}
    return { module: ProbeModule };
  };
  const logger = new ConsoleLogger();
  logger.setLogLevels([]);

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('serves the port and hands the app back', async () => {
    const app = await startServiceApp(module(), { logger, port: 0, host: '127.0.0.1' });
    expect(app.getHttpServer().listening).toBe(true);
    await app.close();
    expect(events).toEqual(['shut down']);
  });

  it('closes a half-started app (releasing what it holds) when the port is taken', async () => {
    events.length = 0;
    await expect(startServiceApp(module(), { logger, port: takenPort, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    expect(events).toEqual(['shut down']);
  });
});
