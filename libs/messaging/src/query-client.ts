import { decodeJson, parseQueryReply, QUERY_CONTRACTS, type QueryReplyOf, type QueryRequestOf, type QuerySubject } from '@giggles/contracts';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { QUERY_CLIENT_ERROR_CODES, QueryError } from './query-error';
import { injectTraceContext, payloadSpanAttributes } from './trace-context';

export interface RequestOptions {
  timeoutMs?: number;
  /** Must match the server's `subjectPrefix`. */
  subjectPrefix?: string;
}

const tracer = trace.getTracer('@giggles/messaging');

/**
 * Asks a query and returns the validated reply data. The request is validated before it is sent
 * (a `ContractViolation` is a caller bug); a failure reply, a timeout or no responders throw
 * `QueryError` with the code; a reply that breaks its contract throws `ContractViolation`.
 */
export async function request<S extends QuerySubject>(
  nc: NatsConnection,
  subject: S,
  payload: QueryRequestOf<S>,
  options: RequestOptions = {},
): Promise<QueryReplyOf<S>> {
  const contract = QUERY_CONTRACTS[subject] as { parseRequest(json: unknown): unknown; parseReply(json: unknown): QueryReplyOf<S> };
  contract.parseRequest(payload);
  return tracer.startActiveSpan(`${subject} request`, { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, ...payloadSpanAttributes(payload) } }, async (span) => {
    try {
      const msg = await nc
        .request(`${options.subjectPrefix ?? ''}${subject}`, JSON.stringify(payload), { timeout: options.timeoutMs ?? 5_000, headers: injectTraceContext() })
        .catch((error: unknown) => {
          throw toQueryError(error, subject);
        });
      const reply = parseQueryReply(contract.parseReply, decodeJson(msg.data, subject), `${subject} reply`);
      if (!reply.ok) throw new QueryError(reply.error.code, reply.error.message);
      return reply.data;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

function toQueryError(error: unknown, subject: string): unknown {
  if (error instanceof errors.NoRespondersError || (error instanceof errors.RequestError && error.isNoResponders())) {
    return new QueryError(QUERY_CLIENT_ERROR_CODES.noResponders, `nobody answers ${subject}`);
  }
  if (error instanceof errors.TimeoutError) return new QueryError(QUERY_CLIENT_ERROR_CODES.timeout, `no answer to ${subject} in time`);
  return error;
}
