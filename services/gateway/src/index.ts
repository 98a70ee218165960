export { AppModule, type AppModuleOptions } from './app.module';
export { createGatewayApp, startGatewayApp, type CreateGatewayAppOptions, type GatewayApp } from './bootstrap';
export { GATEWAY_CONFIG, loadGatewayConfig, describeGatewayConfig, type GatewayConfig } from './config/gateway-config';
export { createGatewayLogger, type GatewayLogger } from './logging/logger';
export { NatsQueryClient } from './adapters/nats-query.client';
export { COOKIES, CSRF_HEADER } from './auth/session-cookies';
export type { AuthenticatedUser } from './auth/authenticated-user';
