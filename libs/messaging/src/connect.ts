import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * Connects for a long-running service: reconnects forever (a NATS restart must not kill the
 * service; health checks report the outage instead), waits for the server on first connect
 * (Compose may start us before NATS is ready), and names the connection so `nats server report
 * connections` shows who is who.
 */
export function connectNats(url: string = DEFAULT_NATS_URL, name: string, overrides: Partial<NodeConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: url.split(',').map((s) => s.trim()).filter(Boolean),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 2_000,
    reconnectJitter: 500,
    waitOnFirstConnect: true,
    pingInterval: 20_000,
    maxPingOut: 3,
    ...overrides,
  });
}
