import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { telemetryShutdownProvider, type Telemetry } from '../src';

describe('telemetryShutdownProvider', () => {
  it('flushes tracing when the Nest application shuts down', async () => {
    const calls: string[] = [];
    const telemetry: Telemetry = { exporting: false, shutdown: async () => void calls.push('shutdown') };
    @Module({ providers: [telemetryShutdownProvider(telemetry)] })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    expect(calls).toEqual([]);
    await app.close();
    expect(calls).toEqual(['shutdown']);
  });
});
