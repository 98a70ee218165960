import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { QUERY_ERROR_CODES, type QueryReplyOf, type QueryRequestOf, type QuerySubject } from '@giggles/contracts';
import { QUERY_CLIENT_ERROR_CODES, QueryError, request } from '@giggles/messaging';
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayLogger } from '../logging/logger';
import { GATEWAY_SETTINGS, LOGGER } from '../tokens';
import { NatsConnectionAdapter } from './nats-connection.adapter';

export interface AskOptions {
  /** Default GATEWAY_QUERY_TIMEOUT. */
  timeoutMs?: number;
}

/**
 * Request/reply over NATS to persistence (QUERIES) and the scheduler (COMMANDS), through
 * @giggles/messaging's `request` (validated both ways, trace context in the headers, so the trace
 * of an HTTP request continues into the job it starts). Failures become Nest exceptions with
 * plain messages: not_found → 404, invalid_request → 400, conflict → 409, range_not_satisfiable → 416; internal, timeout and no
 * responders → 503 (the detail goes to the log, not to the client).
 */
@Injectable()
export class NatsQueryClient {
  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(GATEWAY_SETTINGS) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async ask<S extends QuerySubject>(subject: S, body: QueryRequestOf<S>, options: AskOptions = {}): Promise<QueryReplyOf<S>> {
    try {
      return await request(this.nats.nc, subject, body, { timeoutMs: options.timeoutMs ?? this.config.queryTimeoutMs });
    } catch (error) {
      throw this.toHttpException(subject, error);
    }
  }

  private toHttpException(subject: string, error: unknown): HttpException {
    if (error instanceof QueryError) {
      switch (error.code) {
        case QUERY_ERROR_CODES.notFound:
          return new NotFoundException(error.message || 'Not found');
        case QUERY_ERROR_CODES.invalidRequest:
          return new BadRequestException(error.message || 'Invalid request');
        case QUERY_ERROR_CODES.conflict:
          return new ConflictException(error.message || 'Conflict');
        case QUERY_ERROR_CODES.rangeNotSatisfiable:
          return new HttpException({ statusCode: HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, message: error.message || 'Range not satisfiable' }, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        case QUERY_CLIENT_ERROR_CODES.timeout:
        case QUERY_CLIENT_ERROR_CODES.noResponders:
          this.logger.warn({ subject, code: error.code }, 'query not answered');
          return new ServiceUnavailableException(`${serviceOf(subject)} is not answering — try again shortly`);
        default:
          this.logger.error({ subject, code: error.code, err: error.message }, 'query failed');
          return new ServiceUnavailableException(`${serviceOf(subject)} could not complete the request — try again shortly`);
      }
    }
    // A ContractViolation (a request or reply breaking its contract) or a connection failure.
    this.logger.error({ subject, err: error instanceof Error ? error.message : String(error) }, 'query failed');
    return new ServiceUnavailableException(`${serviceOf(subject)} could not complete the request — try again shortly`);
  }
}

function serviceOf(subject: string): string {
  return subject.startsWith('giggles.command.') ? 'The scheduler' : 'The database service';
}
