import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  ackWaitMs: number;
}

/**
 * Creates the durable pull consumer, or updates it when its settings changed. Redelivery limits
 * are enforced by the consumer runner, not the server (`max_deliver: -1`): a server-side limit
 * would silently strand a message in the work-queue stream if the last attempt crashed, where
 * the runner instead dead-letters it on the next delivery.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<ConsumerInfo> {
  const desired: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: -1,
  };
  const existing = await consumerInfo(jsm, spec.stream, spec.durable);
  if (!existing) {
    try {
      return await jsm.consumers.add(spec.stream, desired);
    } catch (error) {
      // Another instance created it first; reconcile below.
      const raced = await consumerInfo(jsm, spec.stream, spec.durable);
      if (!raced) throw error;
      return reconcile(jsm, spec, raced, desired);
    }
  }
  return reconcile(jsm, spec, existing, desired);
}

async function reconcile(jsm: JetStreamManager, spec: DurableConsumerSpec, existing: ConsumerInfo, desired: Partial<ConsumerConfig>): Promise<ConsumerInfo> {
  const changed = (['filter_subject', 'ack_wait', 'max_deliver'] as const).some((key) => existing.config[key] !== desired[key]);
  if (!changed) return existing;
  const { ack_wait, max_deliver, filter_subject } = desired;
  return jsm.consumers.update(spec.stream, spec.durable, { ack_wait, max_deliver, filter_subject });
}

async function consumerInfo(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw error;
  }
}
