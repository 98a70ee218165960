import { SUBJECTS } from '@giggles/contracts';
import { type JetStreamClient } from '@nats-io/jetstream';
import { type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** One pipeline message as it went over the wire. */
export interface TappedMessage {
  subject: string;
  /** The Nats-Msg-Id header (the deterministic id of contracts' messageIds). */
  msgId: string | undefined;
  data: Uint8Array;
  at: number;
}

/**
 * Sees every message published on the pipeline's subjects (a core subscription gets what
 * JetStream stores too) so tests can count them and publish them all again.
 */
export interface MessageTap {
  messages(subject?: string): TappedMessage[];
  /** Parsed JSON payloads on one subject. */
  payloads<T>(subject: string): T[];
  /**
   * Publishes every captured work message (day jobs, segments, results) again with a new
   * message id (`<original>~<tag>`), so JetStream's duplicate window does not swallow it and
   * every consumer gets it a second time — a redelivery as the consumers see it.
   */
  republishAll(js: JetStreamClient, tag: string, subjects?: string[]): Promise<number>;
  stop(): void;
}

const WORK_SUBJECTS = [SUBJECTS.dayJob, SUBJECTS.segmentReady, SUBJECTS.segmentResult, SUBJECTS.windowOutcome, SUBJECTS.jobProgress];

export function startMessageTap(nc: NatsConnection): MessageTap {
  const captured: TappedMessage[] = [];
  const sub: Subscription = nc.subscribe('giggles.>', {
    callback: (err, msg) => {
      if (err || msg.subject.startsWith('giggles.query.')) return;
      captured.push({ subject: msg.subject, msgId: msg.headers?.get('Nats-Msg-Id') || undefined, data: msg.data.slice(), at: Date.now() });
    },
  });
  const decoder = new TextDecoder();
  return {
    messages: (subject) => (subject ? captured.filter((m) => m.subject === subject) : [...captured]),
    payloads: <T>(subject: string) => captured.filter((m) => m.subject === subject).map((m) => JSON.parse(decoder.decode(m.data)) as T),
    async republishAll(js, tag, subjects = WORK_SUBJECTS) {
      const todo = captured.filter((m) => subjects.includes(m.subject) && !m.msgId?.includes('~'));
      for (const m of todo) await js.publish(m.subject, m.data, { msgID: `${m.msgId ?? `${m.subject}:${m.at}`}~${tag}` });
      return todo.length;
    },
    stop: () => sub.unsubscribe(),
  };
}
