import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, indicatorResult, withTimeout } from '../util';

export interface NatsIndicatorOptions {
  /** Round-trip must complete within this long. Default 2 s. */
  timeoutMs?: number;
}

/**
 * NATS is up when the connection is open and a ping round-trip to the server completes in time.
 * A reconnecting client queues the ping, so an outage shows up as a timeout rather than a hang.
 */
export async function checkNats<const Key extends string>(
  key: Key,
  nc: NatsConnection,
  options: NatsIndicatorOptions = {},
): Promise<HealthIndicatorResult<Key>> {
  const server = nc.getServer();
  if (nc.isClosed()) return down(key, { server, message: 'connection closed' });
  if (nc.isDraining()) return down(key, { server, message: 'connection draining' });
  try {
    const rttMs = await withTimeout(nc.rtt(), options.timeoutMs ?? 2_000, 'NATS round-trip');
    return indicatorResult(key, 'up', { server, rttMs });
  } catch (error) {
    return down(key, { server, message: errorMessage(error) });
  }
}

function down<Key extends string>(key: Key, data: Record<string, unknown>): HealthIndicatorResult<Key> {
  return indicatorResult(key, 'down', { ...data });
}
