import type { NextFunction, Request, Response } from 'express';
import { REQUEST_USER, type RequestWithUser } from '../auth/current-user.decorator';
import type { GatewayLogger } from './logger';

/**
 * One line per API request when it finishes: method, path (never the query string: it can carry
 * values), status, milliseconds and the user id when signed in. Headers and bodies are never
 * logged (tokens, cookies, passwords, keys). 5xx at warn, the rest at info.
 */
export function accessLog(logger: GatewayLogger) {
  return (req: Request & RequestWithUser, res: Response, next: NextFunction): void => {
    const path = (req.originalUrl ?? req.url).split('?')[0];
    if (!path.startsWith('/api/')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const line = { method: req.method, path, status: res.statusCode, ms: Number((process.hrtime.bigint() - started) / 1_000_000n), userId: req[REQUEST_USER]?.userId };
      if (res.statusCode >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
