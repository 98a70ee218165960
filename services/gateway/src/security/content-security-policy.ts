import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The CSP the web app runs under: no inline script or style, everything from the gateway's own
 * origin; clips play from blob: URLs; images may be data:/blob: (waveforms, icons).
 */
export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  workerSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
  upgradeInsecureRequests: null,
} as const;

/** Swagger UI (/api/docs) injects inline styles; it gets those and data: images, still no inline script. */
const DOCS_CSP_DIRECTIVES = { ...APP_CSP_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'https:'] };

export const DOCS_PATH = '/api/docs';

/** helmet's headers everywhere; the strict CSP everywhere but the API docs UI. */
export function securityHeaders(): RequestHandler {
  const base = { crossOriginEmbedderPolicy: false, strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: true } };
  const app = helmet({ ...base, contentSecurityPolicy: { useDefaults: false, directives: { ...APP_CSP_DIRECTIVES } } });
  const docs = helmet({ ...base, contentSecurityPolicy: { useDefaults: false, directives: { ...DOCS_CSP_DIRECTIVES } } });
  return (req, res, next) => {
    const path = req.path;
    if (path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`)) return docs(req, res, next);
    return app(req, res, next);
  };
}
