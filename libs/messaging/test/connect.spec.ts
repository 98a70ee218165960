import { describe, expect, it } from 'vitest';
import { connectNats } from '../src';

describe('connectNats', () => {
  it('connects with the given name and reconnect settings', async () => {
    const nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'giggles-connect-test');
    try {
      expect(nc.info?.jetstream).toBe(true);
      const options = (nc as unknown as { options: { name: string; maxReconnectAttempts: number; waitOnFirstConnect: boolean } }).options;
      expect(options).toMatchObject({ name: 'giggles-connect-test', maxReconnectAttempts: -1, waitOnFirstConnect: true });
      await expect(nc.rtt()).resolves.toBeGreaterThanOrEqual(0);
    } finally {
      await nc.close();
    }
  });
});
