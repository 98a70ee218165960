import { Catch, HttpException, HttpStatus, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { GatewayLogger } from '../logging/logger';
import { LOGGER } from '../tokens';

export interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
  /** The same words for the original app's clients (FastAPI's error field). */
  detail: string;
}

/** body-parser's errors carry `status` and `type`; their messages are safe, their stacks are not sent. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * Every error leaves as `{statusCode, message, error?, detail}`: HttpExceptions keep their status
 * and message (validation messages joined), body-parser errors become 400/413 with plain words,
 * anything else is 500 "Internal error" — the stack and any server path stay in the log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: GatewayLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.bodyFor(exception, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(body.statusCode).json(body);
  }

  private bodyFor(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message: string;
      let error: string | undefined;
      if (typeof response === 'string') message = response;
      else {
        const r = response as { message?: unknown; error?: unknown };
        message = Array.isArray(r.message) ? r.message.map(String).join('; ') : typeof r.message === 'string' ? r.message : exception.message;
        error = typeof r.error === 'string' ? r.error : undefined;
      }
      if (status >= 500) this.logger.warn({ status, method: req.method, route: routeOf(req), message }, 'request failed');
      return { statusCode: status, message, ...(error ? { error } : {}), detail: message };
    }
    const parser = exception as BodyParserError;
    const status = parser?.status ?? parser?.statusCode;
    if (typeof parser?.type === 'string' && typeof status === 'number') {
      if (status === HttpStatus.PAYLOAD_TOO_LARGE) return plain(413, 'Request body too large', 'Payload Too Large');
      if (parser.type === 'entity.parse.failed') return plain(400, 'Malformed JSON body', 'Bad Request');
      if (status >= 400 && status < 500) return plain(status, 'The request body could not be read', 'Bad Request');
    }
    this.logger.error({ err: exception, method: req.method, route: routeOf(req) }, 'unhandled error');
    return plain(500, 'Internal error', 'Internal Server Error');
  }
}

function plain(statusCode: number, message: string, error: string): ErrorBody {
  return { statusCode, message, error, detail: message };
}

/** The path without its query (queries may carry values nobody should log). */
function routeOf(req: Request): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}
