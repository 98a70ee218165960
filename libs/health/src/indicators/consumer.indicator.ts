import { jetstreamManager, JetStreamApiError, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { errorMessage, indicatorResult, withTimeout } from '../util';

export interface ConsumerProbeOptions {
  /** A consumer-info request must answer within this long. Default 2 s. */
  timeoutMs?: number;
  /** Reuse one consumer-info answer for this long, so several indicators cost one request. Default 1 s. */
  cacheMs?: number;
}

/** Counts JetStream keeps for a durable consumer, as the readiness body reports them. */
export interface ConsumerCounts {
  /** Messages in the stream not yet delivered to this consumer. */
  pending: number;
  /** Delivered, not yet acked (in flight, or waiting for redelivery after a nak). */
  ackPending: number;
  redelivered: number;
  /** Pull requests waiting for messages (0 while the worker is busy). */
  waitingPulls: number;
}

/** Looks up one durable consumer's info, cached briefly. */
export class JetStreamConsumerProbe {
  private jsm: Promise<JetStreamManager> | undefined;
  private cached: { at: number; info: Promise<ConsumerInfo> } | undefined;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  constructor(
    private readonly nc: NatsConnection,
    readonly stream: string,
    readonly durable: string,
    options: ConsumerProbeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.cacheMs = options.cacheMs ?? 1_000;
  }

  info(): Promise<ConsumerInfo> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.info;
    const info = withTimeout(this.fetch(), this.timeoutMs, `consumer info ${this.stream}/${this.durable}`);
    this.cached = { at: now, info };
    info.catch(() => {
      if (this.cached?.info === info) this.cached = undefined;
    });
    return info;
  }

  async counts(): Promise<ConsumerCounts> {
    return countsOf(await this.info());
  }

  private async fetch(): Promise<ConsumerInfo> {
    this.jsm ??= jetstreamManager(this.nc);
    let jsm: JetStreamManager;
    try {
      jsm = await this.jsm;
    } catch (error) {
      this.jsm = undefined;
      throw error;
    }
    return jsm.consumers.info(this.stream, this.durable);
  }
}

export function countsOf(info: ConsumerInfo): ConsumerCounts {
  return {
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    waitingPulls: info.num_waiting,
  };
}

/** The durable consumer exists on its stream; reports its pending and ack-pending counts. */
export async function checkConsumer<const Key extends string>(key: Key, probe: JetStreamConsumerProbe): Promise<HealthIndicatorResult<Key>> {
  const where = { stream: probe.stream, durable: probe.durable };
  try {
    const counts = await probe.counts();
    return indicatorResult(key, 'up', { ...where, ...counts });
  } catch (error) {
    const missing = error instanceof JetStreamApiError && (error.code === 10014 || error.code === 10059);
    const message = missing ? `consumer ${probe.durable} not found on stream ${probe.stream}` : errorMessage(error);
    return indicatorResult(key, 'down', { ...where, message });
  }
}
