import type { Provider } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';
import { SessionCookies } from './session-cookies';

export const provideSessionCookies: Provider = {
  provide: SessionCookies,
  useFactory: (config: GatewayConfig) => new SessionCookies(config),
  inject: [GATEWAY_SETTINGS],
};
