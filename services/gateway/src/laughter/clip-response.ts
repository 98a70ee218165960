import type { Response } from 'express';
import { contentRange, unsatisfiedRange } from './byte-range';
import type { ClipReply } from './clips.service';

/**
 * Clips are private (never in a shared cache) but may be kept by the browser and revalidated with
 * the ETag: a day's clips replay without downloading again.
 */
export const CLIP_CACHE_CONTROL = 'private, max-age=0, must-revalidate';

/** Writes a ClipReply: headers first, then the chunks with backpressure; an aborted client stops the reads. */
export async function sendClip(res: Response, reply: ClipReply): Promise<void> {
  res.setHeader('Cache-Control', CLIP_CACHE_CONTROL);
  res.setHeader('ETag', reply.etag);
  res.setHeader('Accept-Ranges', 'bytes');
  if (reply.kind === 'not-modified') {
    res.status(304).end();
    return;
  }
  if (reply.kind === 'unsatisfiable') {
    res.status(416).setHeader('Content-Range', unsatisfiedRange(reply.size));
    res.json({ statusCode: 416, message: `The clip has ${reply.size} bytes; that range is outside it` });
    return;
  }
  res.status(reply.status);
  res.setHeader('Content-Type', 'audio/wav');
  res.setHeader('Content-Length', String(reply.end - reply.start + 1));
  if (reply.status === 206) res.setHeader('Content-Range', contentRange(reply.start, reply.end, reply.size));
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    for await (const chunk of reply.chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    res.end();
  } catch {
    // Headers are gone: the only honest signal left is a cut connection (the length will not match).
    res.destroy();
  }
}
