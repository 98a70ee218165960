import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { GatewayConfig } from './config/gateway-config';
import { accessLog } from './logging/access-log.middleware';
import type { GatewayLogger } from './logging/logger';
import { securityHeaders } from './security/content-security-policy';
import { requestTracing } from './security/request-tracing.middleware';
import { DEFAULT_WEB_DIR, webAppMiddleware } from './web/web-app.middleware';

export const API_PREFIX = 'api';

/** Headers a browser on an allowed origin may send (CORS). */
const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-CSRF-Token', 'Range', 'If-None-Match'];

/**
 * Everything between the socket and the controllers, in order: tracing, the access log, security headers (CSP),
 * CORS for GATEWAY_CORS_ORIGINS only, the JSON body limit (→ 413), cookies, validation of every
 * DTO (unknown fields refused), the OpenAPI document, and the web app outside /api.
 */
export function configureHttp(app: NestExpressApplication, config: GatewayConfig, logger: GatewayLogger): void {
  app.disable('x-powered-by');
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  app.use(requestTracing);
  if (config.accessLog) app.use(accessLog(logger));
  app.use(securityHeaders());
  const allowed = new Set(config.corsOriginList);
  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['Content-Range', 'Accept-Ranges', 'ETag', 'Content-Disposition'],
    maxAge: 600,
  });
  app.useBodyParser('json', { limit: `${config.bodyLimitKb}kb` });
  app.use(cookieParser());
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // A body that is not a JSON object (array, string, null) is refused rather than ignored.
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    }),
  );
  setUpOpenApi(app);
  app.use(webAppMiddleware(config.webDir ?? DEFAULT_WEB_DIR));
}

/** OpenAPI generated from the DTOs: UI at /api/docs, JSON at /api/docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Giggles API')
      .setDescription('The laughter tracker’s HTTP API (see docs/api.md). Browsers use the session cookies (and X-CSRF-Token on changes); API clients send Authorization: Bearer.')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('giggles_at')
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json`, customSiteTitle: 'Giggles API' });
}
