import { type COMMANDS, ContractViolation, type HISTORY_COMMANDS, type QUERIES, QUERY_CONTRACTS, QUERY_ERROR_CODES, type QueryReplyOf, type QueryRequestOf } from '@giggles/contracts';
import { connectNats, QUERY_CLIENT_ERROR_CODES, QueryError, request } from '@giggles/messaging';
import { errorLine } from '../error-line';
import { OperatorError } from './operator-errors';
import type { SchedulerTarget } from './operator-options';

export type CommandSubject =
  | (typeof COMMANDS)[keyof typeof COMMANDS]
  | (typeof HISTORY_COMMANDS)[keyof typeof HISTORY_COMMANDS]
  // The audio archive's size lives in persistence: `giggles status` asks it on the same NATS.
  | typeof QUERIES.archiveTotals;

/** Longest wait for the TCP/NATS handshake: an unreachable server should fail fast, not at --timeout. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Sends one scheduler command and returns its reply. Every way it can go wrong becomes an
 * `OperatorError` with one line that says what to do: NATS unreachable, nobody listening, no
 * answer in time, a failure reply (its code and message), a reply this CLI does not understand.
 */
export async function askScheduler<S extends CommandSubject>(target: SchedulerTarget, subject: S, payload: QueryRequestOf<S>): Promise<QueryReplyOf<S>> {
  checkRequest(subject, payload);
  let nc;
  try {
    // A one-shot client: no reconnect loop, no waiting for a server that is not there.
    nc = await connectNats(target.natsUrl, 'giggles-cli', {
      reconnect: false,
      maxReconnectAttempts: 0,
      waitOnFirstConnect: false,
      timeout: Math.min(CONNECT_TIMEOUT_MS, target.timeoutMs),
    });
  } catch (error) {
    throw new OperatorError(`cannot reach NATS at ${target.natsUrl}: ${errorLine(error)}`);
  }
  try {
    return await request(nc, subject, payload, { timeoutMs: target.timeoutMs });
  } catch (error) {
    throw explain(error, subject, target);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

function explain(error: unknown, subject: string, target: SchedulerTarget): OperatorError {
  if (error instanceof QueryError) {
    switch (error.code) {
      case QUERY_CLIENT_ERROR_CODES.noResponders:
        return new OperatorError(`no scheduler answered on ${subject} at ${target.natsUrl}: is the scheduler running?`);
      case QUERY_CLIENT_ERROR_CODES.timeout:
        return new OperatorError(`no scheduler answered on ${subject} at ${target.natsUrl} within ${target.timeoutMs / 1000}s: is the scheduler running? (a slow command may need a longer --timeout)`);
      case QUERY_ERROR_CODES.invalidRequest:
        return OperatorError.usage(`the scheduler refused the request: ${firstLine(error.message)}`);
      case QUERY_ERROR_CODES.notFound:
      case QUERY_ERROR_CODES.conflict:
        return new OperatorError(`${error.message} (${error.code})`);
      default:
        return new OperatorError(`the scheduler failed (${error.code}): ${firstLine(error.message)}`);
    }
  }
  if (error instanceof ContractViolation) {
    // The request was checked before connecting, so this is the reply.
    return new OperatorError(`the scheduler's reply is not understood (different versions?): ${firstLine(error.message)}`);
  }
  return new OperatorError(`${subject} at ${target.natsUrl}: ${errorLine(error)}`);
}

/** The request against its contract before anything is sent: a violation is an argument this CLI let through. */
function checkRequest(subject: CommandSubject, payload: unknown): void {
  try {
    (QUERY_CONTRACTS[subject] as { parseRequest(json: unknown): unknown }).parseRequest(payload);
  } catch (error) {
    if (error instanceof ContractViolation) throw OperatorError.usage(error.problems.join('; '));
    throw error;
  }
}

function firstLine(text: string): string {
  return errorLine(new Error(text));
}
