import { Inject, Injectable } from '@nestjs/common';
import { STREAMS, SUBJECTS, type DeadLetter, type DeadLetterSummary } from '@giggles/contracts';
import type { StoredMsg } from '@nats-io/jetstream';
import type { DeadLetterReader } from '../services/ports';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Gaps in the sequence (deleted messages) tolerated while walking back to the newest dead letters. */
const MAX_EXTRA_READS = 50;

/** Reads GIGGLES_DEAD_LETTERS directly (limits retention: reading consumes nothing). */
@Injectable()
export class JetStreamDeadLetters implements DeadLetterReader {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async summary(limit: number): Promise<{ count: number; recent: DeadLetterSummary[] }> {
    const info = await this.nats.jsm.streams.info(STREAMS.deadLetters.name);
    const { messages: count, first_seq: first, last_seq: last } = info.state;
    const recent: DeadLetterSummary[] = [];
    let reads = 0;
    for (let seq = last; count > 0 && seq >= first && recent.length < limit && reads < limit + MAX_EXTRA_READS; seq--, reads++) {
      const msg = await this.nats.jsm.streams.getMessage(STREAMS.deadLetters.name, { seq }).catch(() => null);
      if (msg) recent.push(summarize(msg));
    }
    return { count, recent };
  }
}

function summarize(msg: StoredMsg): DeadLetterSummary {
  const fallback = { subject: msg.subject.replace(SUBJECTS.deadLetterPrefix, ''), reason: '(unreadable dead letter)', at: msg.time.toISOString() };
  try {
    const letter = msg.json<Partial<DeadLetter>>();
    return {
      subject: typeof letter.subject === 'string' ? letter.subject : fallback.subject,
      reason: typeof letter.reason === 'string' ? letter.reason.slice(0, 2000) : fallback.reason,
      at: typeof letter.at === 'string' && !Number.isNaN(Date.parse(letter.at)) ? new Date(letter.at).toISOString() : fallback.at,
    };
  } catch {
    return fallback;
  }
}
