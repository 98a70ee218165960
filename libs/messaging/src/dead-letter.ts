import { messageIds, SUBJECTS, type DeadLetter } from '@giggles/contracts';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { publishDurable } from './publish-durable';

const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });
/** The DeadLetter contract caps `reason`; a longer one would make the dead letter itself unpublishable. */
const MAX_REASON_LENGTH = 4_000;

/** The dead letter for a message: its body as text (even if it is not valid UTF-8) and why it died. */
export function buildDeadLetter(msg: JsMsg, reason: string, at: Date = new Date()): DeadLetter {
  return {
    subject: msg.subject,
    stream: msg.info.stream,
    deliveries: msg.info.deliveryCount,
    reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    payload: lossyUtf8.decode(msg.data),
    at: at.toISOString(),
  };
}

/**
 * Publishes the dead letter on `<prefix><original subject>`. The message id is derived from the
 * original's stream sequence, so dead-lettering the same message twice (a crash between this
 * and `term()`) stores one dead letter.
 */
export async function publishDeadLetter(js: JetStreamClient, msg: JsMsg, deadLetter: DeadLetter, prefix: string = SUBJECTS.deadLetterPrefix): Promise<void> {
  await publishDurable(js, `${prefix}${msg.subject}`, deadLetter, messageIds.deadLetter(msg.info.stream, msg.info.streamSequence));
}
