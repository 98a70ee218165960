import { SUBJECTS, type DeadLetter } from '@giggles/contracts';
import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { backoffDelay, DEFAULT_BACKOFF_MS } from './backoff';
import { buildDeadLetter, publishDeadLetter } from './dead-letter';
import { ensureDurableConsumer } from './ensure-consumer';
import { isPermanentError } from './errors';
import { errorMessage, stderrLogger, type MessagingLogger } from './logger';
import { extractTraceContext, payloadSpanAttributes } from './trace-context';

export interface MessageContext {
  subject: string;
  streamSequence: number;
  /** 1 on first delivery. */
  deliveryCount: number;
  headers: MsgHdrs | undefined;
  /** Resets the ack timer now; the runner also does this periodically while the handler runs. */
  working(): void;
}

export interface RunConsumerOptions<T> {
  js: JetStreamClient;
  stream: string;
  durable: string;
  filterSubject: string;
  /** Bytes → validated payload; throwing a `ContractViolation` dead-letters the message. */
  decode: (data: Uint8Array, subject: string) => T;
  /** Resolve only once the work is durable: the message is acked right after. */
  handle: (payload: T, ctx: MessageContext) => Promise<void>;
  /** Called for every dead letter, e.g. to write the user's processing log. Failures are logged. */
  onDeadLetter?: (payload: T | undefined, reason: string, deadLetter: DeadLetter) => Promise<void> | void;
  /** Handler attempts before the message is dead-lettered. Default 5. */
  maxDeliver?: number;
  /** How long JetStream waits for an ack before redelivering. Default 60 s. */
  ackWaitMs?: number;
  /** Redelivery delay after failed attempt n is `backoffMs[n-1]` (last entry repeats). */
  backoffMs?: readonly number[];
  /** Messages handled at once by this process; each worker pulls one at a time. Default 1. */
  concurrency?: number;
  /** How often to tell JetStream a message is still in progress. Default a third of ack wait. */
  workingIntervalMs?: number;
  /** How long one pull request waits for a message. Default 10 s. */
  pullExpiresMs?: number;
  /** Dead letters go to `<prefix><subject>`. Default `giggles.dead.`. */
  deadLetterPrefix?: string;
  logger?: MessagingLogger;
}

export interface ConsumerHealth {
  running: boolean;
  inFlight: number;
  /** When a pull last succeeded (with or without a message): a stale value means a stuck consumer. */
  lastPullAt: Date | undefined;
  lastError: string | undefined;
  handled: number;
  deadLettered: number;
}

export interface ConsumerHandle {
  /** Stops pulling, lets in-flight messages finish (ack/nak/term), then resolves. */
  stop(): Promise<void>;
  health(): ConsumerHealth;
}

const tracer = trace.getTracer('@giggles/messaging');
const RETRY_PULL_AFTER_MS = 1_000;

/**
 * Runs a durable pull consumer with explicit acks:
 * - invalid payload (or `PermanentError`) → dead letter + `term()`, never retried;
 * - handler resolves → `ack()`;
 * - handler throws anything else → `nak(backoff)`, until `maxDeliver` attempts → dead letter + `term()`.
 * Each worker holds at most one message, so nothing waits in a local buffer while its ack timer runs.
 */
export async function runConsumer<T>(options: RunConsumerOptions<T>): Promise<ConsumerHandle> {
  const runner = new ConsumerRunner(options);
  await runner.start();
  return runner;
}

class ConsumerRunner<T> implements ConsumerHandle {
  private readonly maxDeliver: number;
  private readonly ackWaitMs: number;
  private readonly backoffMs: readonly number[];
  private readonly workingIntervalMs: number;
  private readonly pullExpiresMs: number;
  private readonly deadLetterPrefix: string;
  private readonly logger: MessagingLogger;
  private consumer: Consumer | undefined;
  private stopping = false;
  private workers: Promise<void>[] = [];
  private readonly pulls = new Set<ConsumerMessages>();
  private readonly sleepers = new Set<() => void>();
  private readonly state: ConsumerHealth = { running: false, inFlight: 0, lastPullAt: undefined, lastError: undefined, handled: 0, deadLettered: 0 };

  constructor(private readonly options: RunConsumerOptions<T>) {
    this.maxDeliver = options.maxDeliver ?? 5;
    this.ackWaitMs = options.ackWaitMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.workingIntervalMs = options.workingIntervalMs ?? Math.max(100, Math.floor(this.ackWaitMs / 3));
    this.pullExpiresMs = options.pullExpiresMs ?? 10_000;
    this.deadLetterPrefix = options.deadLetterPrefix ?? SUBJECTS.deadLetterPrefix;
    this.logger = options.logger ?? stderrLogger;
  }

  async start(): Promise<void> {
    this.consumer = await this.openConsumer();
    this.state.running = true;
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const pull of this.pulls) pull.stop();
    for (const wake of this.sleepers) wake();
    await Promise.all(this.workers);
    this.state.running = false;
  }

  health(): ConsumerHealth {
    return { ...this.state };
  }

  private async openConsumer(): Promise<Consumer> {
    const { js, stream, durable, filterSubject } = this.options;
    await ensureDurableConsumer(await js.jetstreamManager(), { stream, durable, filterSubject, ackWaitMs: this.ackWaitMs });
    return js.consumers.get(stream, durable);
  }

  private async work(): Promise<void> {
    while (!this.stopping) {
      let msg: JsMsg | undefined;
      try {
        msg = await this.pullOne();
      } catch (error) {
        if (this.stopping) break;
        this.state.lastError = errorMessage(error);
        this.logger.error({ stream: this.options.stream, durable: this.options.durable, err: this.state.lastError }, 'pull failed; retrying');
        await this.pause(RETRY_PULL_AFTER_MS);
        // The consumer may have been deleted (stream re-created, operator error): recreate it.
        this.consumer = await this.openConsumer().catch(() => this.consumer);
        continue;
      }
      if (msg) await this.process(msg);
    }
  }

  private async pullOne(): Promise<JsMsg | undefined> {
    if (!this.consumer) throw new Error('consumer not open');
    const pull = await this.consumer.fetch({ max_messages: 1, expires: this.pullExpiresMs });
    this.pulls.add(pull);
    try {
      if (this.stopping) pull.stop();
      for await (const msg of pull) {
        this.state.lastPullAt = new Date();
        return msg;
      }
      this.state.lastPullAt = new Date();
      return undefined;
    } finally {
      this.pulls.delete(pull);
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    this.state.inFlight++;
    try {
      const parent = extractTraceContext(msg.headers);
      await tracer.startActiveSpan(
        `${msg.subject} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.destination.name': msg.subject,
            'messaging.consumer.group.name': this.options.durable,
            'giggles.delivery_count': msg.info.deliveryCount,
          },
        },
        parent,
        (span) => this.processInSpan(msg, span).finally(() => span.end()),
      );
    } catch (error) {
      // Only reachable through a bug in this class; the message will be redelivered after ack wait.
      this.logger.error({ subject: msg.subject, err: errorMessage(error) }, 'unexpected error processing message');
    } finally {
      this.state.inFlight--;
    }
  }

  private async processInSpan(msg: JsMsg, span: Span): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    if (deliveries > this.maxDeliver) {
      // The previous attempt never reported back (crash, ack timeout): do not run it again.
      await this.deadLetter(msg, undefined, `gave up after ${this.maxDeliver} deliveries; the last attempt did not finish (crash or ack timeout)`, span);
      return;
    }
    let payload: T;
    try {
      payload = this.options.decode(msg.data, msg.subject);
    } catch (error) {
      await this.deadLetter(msg, undefined, `invalid payload: ${errorMessage(error)}`, span);
      return;
    }
    span.setAttributes(payloadSpanAttributes(payload));
    const ctx: MessageContext = {
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      deliveryCount: deliveries,
      headers: msg.headers,
      working: () => msg.working(),
    };
    // A long handler (a 2 h audio window) must not outlive the ack timer and get redelivered.
    const heartbeat = setInterval(() => msg.working(), this.workingIntervalMs);
    let outcome: { ok: true } | { ok: false; error: unknown };
    try {
      await this.options.handle(payload, ctx);
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(heartbeat);
    }
    if (outcome.ok) await this.ack(msg);
    else await this.handleFailure(msg, payload, outcome.error, span);
  }

  private async ack(msg: JsMsg): Promise<void> {
    try {
      await msg.ackAck();
      this.state.handled++;
    } catch (error) {
      // The work is done; a lost ack only means one redelivery, which idempotent handlers absorb.
      this.logger.warn({ subject: msg.subject, seq: msg.info.streamSequence, err: errorMessage(error) }, 'ack not confirmed');
    }
  }

  private async handleFailure(msg: JsMsg, payload: T, error: unknown, span: Span): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    span.recordException(error instanceof Error ? error : new Error(String(error)));
    if (isPermanentError(error)) {
      await this.deadLetter(msg, payload, `permanent failure: ${errorMessage(error)}`, span);
    } else if (deliveries >= this.maxDeliver) {
      await this.deadLetter(msg, payload, `failed ${deliveries} of ${this.maxDeliver} deliveries; last error: ${errorMessage(error)}`, span);
    } else {
      const delay = backoffDelay(deliveries, this.backoffMs);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      this.logger.warn(
        { subject: msg.subject, seq: msg.info.streamSequence, deliveries, retryInMs: delay, err: errorMessage(error) },
        'handler failed; will retry',
      );
      msg.nak(delay);
    }
  }

  private async deadLetter(msg: JsMsg, payload: T | undefined, reason: string, span: Span): Promise<void> {
    span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    const letter = buildDeadLetter(msg, reason);
    try {
      await publishDeadLetter(this.options.js, msg, letter, this.deadLetterPrefix);
    } catch (error) {
      // No dead-letter stream to take it: keep the message rather than lose it, and try again later.
      this.logger.error({ subject: msg.subject, seq: msg.info.streamSequence, reason, err: errorMessage(error) }, 'dead letter not stored; message kept');
      msg.nak(backoffDelay(this.backoffMs.length, this.backoffMs));
      return;
    }
    this.state.deadLettered++;
    this.logger.error({ subject: msg.subject, seq: msg.info.streamSequence, deliveries: msg.info.deliveryCount, reason }, 'message dead-lettered');
    try {
      await this.options.onDeadLetter?.(payload, reason, letter);
    } catch (error) {
      this.logger.error({ subject: msg.subject, err: errorMessage(error) }, 'onDeadLetter failed');
    }
    msg.term();
  }

  /** A sleep that `stop()` cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.sleepers.add(wake);
    });
  }
}
