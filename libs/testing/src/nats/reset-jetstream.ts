import { jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/transport-node';

/**
 * Stream-name prefixes that belong to Giggles: its streams (GIGGLES_*), and the streams that back
 * its KV buckets (KV_giggles-*) and object-store buckets (OBJ_giggles-*).
 */
export const GIGGLES_STREAM_PREFIXES = ['GIGGLES_', 'KV_giggles-', 'OBJ_giggles-', 'giggles-'] as const;

/**
 * Deletes every JetStream stream, KV bucket and object store whose name belongs to Giggles, so a
 * test starts from nothing on a shared server. Returns the deleted stream names.
 */
export async function resetJetStream(
  nc: NatsConnection,
  prefixes: readonly string[] = GIGGLES_STREAM_PREFIXES,
): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const deleted: string[] = [];
  const names: string[] = [];
  for await (const name of jsm.streams.names()) names.push(name);
  for (const name of names) {
    if (!prefixes.some((p) => name.startsWith(p))) continue;
    try {
      await jsm.streams.delete(name);
      deleted.push(name);
    } catch (err) {
      // Deleted meanwhile by someone else: that is the state we want.
      if (!/not found/i.test((err as Error).message)) throw err;
    }
  }
  return deleted;
}
