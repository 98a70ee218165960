import type { Response } from 'express';

/** Headers of a Server-Sent Events reply; `X-Accel-Buffering: no` keeps nginx from holding events back. */
export function startEventStream(res: Response, retryMs: number): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(`retry: ${retryMs}\n\n`);
}

/** One event; `data` is JSON on a single line, so no line of it can start a new field. */
export function writeEvent(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: ignored by EventSource, but traffic that keeps idle-closing proxies away. */
export function writeKeepAlive(res: Response): void {
  res.write(': keep-alive\n\n');
}
