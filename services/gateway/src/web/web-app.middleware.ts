import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** apps/web/dist in this repository (from src/web or dist/web of services/gateway). */
export const DEFAULT_WEB_DIR = resolve(__dirname, '../../../../apps/web/dist');

/** Vite names built assets `name-<hash>.ext`: those never change, so browsers may keep them a year. */
const HASHED_ASSET = /[-.][A-Za-z0-9_-]{8,}\.(?:js|mjs|css|woff2?|ttf|svg|png|jpe?g|webp|avif|gif|ico|wasm|map)$/;
export const CACHE_HASHED = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Giggles</title></head>
<body><h1>Giggles</h1><p>The web app is not built. Run <code>npx nx build web</code> (or set GATEWAY_WEB_DIR); the API under /api works.</p></body></html>
`;

function isApi(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * The web app's static files for every path outside /api: hashed assets cached for a year,
 * everything else (index.html above all) revalidated each time, and an SPA fallback to
 * index.html for GET/HEAD of unknown paths. Without a build, `/` says so in a plain page.
 */
export function webAppMiddleware(webDir: string): RequestHandler {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    return (req: Request, res: Response, next: NextFunction) => {
      if (isApi(req.path) || (req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
      res.status(200).type('html').setHeader('Cache-Control', CACHE_REVALIDATE);
      res.send(NOT_BUILT_PAGE);
    };
  }
  const files = express.static(webDir, {
    index: false,
    fallthrough: true,
    dotfiles: 'ignore',
    redirect: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', HASHED_ASSET.test(path) ? CACHE_HASHED : CACHE_REVALIDATE),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (isApi(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    files(req, res, () => {
      // A missing asset is a 404, not the app page (a stale tab asking for an old hash must fail clearly).
      if (/\.[a-z0-9]+$/i.test(req.path)) return next();
      res.setHeader('Cache-Control', CACHE_REVALIDATE);
      res.sendFile(index, (error) => {
        if (error) next(error);
      });
    });
  };
}
