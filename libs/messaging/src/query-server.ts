import {
  decodeJson,
  QUERY_CONTRACTS,
  QUERY_ERROR_CODES,
  type ErrorInfo,
  type QueryReply,
  type QueryReplyOf,
  type QueryRequestOf,
  type QuerySubject,
} from '@giggles/contracts';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { errorMessage, stderrLogger, type MessagingLogger } from './logger';
import { QueryError } from './query-error';
import { extractTraceContext } from './trace-context';

export interface QueryContext {
  subject: string;
}

export type QueryHandler<S extends QuerySubject> = (request: QueryRequestOf<S>, ctx: QueryContext) => Promise<QueryReplyOf<S>>;

/** Handlers by query subject; serve only the queries this service answers. */
export type QueryHandlers = { [S in QuerySubject]?: QueryHandler<S> };

export interface ServeQueriesOptions {
  /** Instances in the same queue group share the load; each request goes to one of them. */
  queue?: string;
  /** Prepended to every subject, e.g. to keep tests on a shared server apart. Must match the client's. */
  subjectPrefix?: string;
  logger?: MessagingLogger;
}

export interface QueryServer {
  /** Stops taking requests and waits for in-flight ones to be answered. */
  stop(): Promise<void>;
}

const tracer = trace.getTracer('@giggles/messaging');
const encoder = new TextEncoder();

/**
 * Answers request/reply queries over core NATS with `{ok: true, data}` or `{ok: false, error}`.
 * Requests are validated before the handler sees them (`invalid_request`); replies are validated
 * before they leave, so a handler bug surfaces here as `internal` rather than in every client.
 */
export function serveQueries(nc: NatsConnection, handlers: QueryHandlers, options: ServeQueriesOptions = {}): QueryServer {
  const queue = options.queue ?? 'giggles-queries';
  const prefix = options.subjectPrefix ?? '';
  const logger = options.logger ?? stderrLogger;
  const inFlight = new Set<Promise<void>>();
  const subscriptions: Subscription[] = [];

  for (const subject of Object.keys(handlers) as QuerySubject[]) {
    const handler = handlers[subject] as QueryHandler<QuerySubject> | undefined;
    if (!handler) continue;
    const sub = nc.subscribe(`${prefix}${subject}`, {
      queue,
      callback: (error, msg) => {
        if (error) {
          logger.error({ subject, err: errorMessage(error) }, 'query subscription failed');
          return;
        }
        const answering = answer(msg, subject, handler, logger).finally(() => inFlight.delete(answering));
        inFlight.add(answering);
      },
    });
    subscriptions.push(sub);
  }

  return {
    async stop() {
      await Promise.all(subscriptions.map((sub) => sub.drain()));
      await Promise.all([...inFlight]);
    },
  };
}

async function answer(msg: Msg, subject: QuerySubject, handler: QueryHandler<QuerySubject>, logger: MessagingLogger): Promise<void> {
  const reply = await tracer.startActiveSpan(
    `${subject} answer`,
    { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
    extractTraceContext(msg.headers),
    async (span) => {
      const result = await computeReply(msg, subject, handler, logger);
      if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.code });
      span.end();
      return result;
    },
  );
  if (!msg.respond(encoder.encode(JSON.stringify(reply)))) {
    logger.warn({ subject }, 'query without a reply subject; answer dropped');
  }
}

async function computeReply(msg: Msg, subject: QuerySubject, handler: QueryHandler<QuerySubject>, logger: MessagingLogger): Promise<QueryReply<unknown>> {
  const contract = QUERY_CONTRACTS[subject] as { parseRequest(json: unknown): unknown; parseReply(json: unknown): unknown };
  let request: unknown;
  try {
    request = contract.parseRequest(decodeJson(msg.data, subject));
  } catch (error) {
    return failure(QUERY_ERROR_CODES.invalidRequest, errorMessage(error));
  }
  let data: unknown;
  try {
    data = await handler(request as QueryRequestOf<QuerySubject>, { subject });
  } catch (error) {
    if (error instanceof QueryError) return failure(error.code, error.message);
    logger.error({ subject, err: errorMessage(error) }, 'query handler failed');
    return failure(QUERY_ERROR_CODES.internal, errorMessage(error));
  }
  try {
    return { ok: true, data: contract.parseReply(data) };
  } catch (error) {
    logger.error({ subject, err: errorMessage(error) }, 'query handler produced a reply that breaks its contract');
    return failure(QUERY_ERROR_CODES.internal, `reply rejected: ${errorMessage(error)}`);
  }
}

function failure(code: string, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message } };
}
