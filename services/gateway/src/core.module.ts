import { Global, Module, type DynamicModule } from '@nestjs/common';
import { telemetryShutdownProvider, type Telemetry } from '@giggles/observability';
import type { GatewayConfig } from './config/gateway-config';
import type { GatewayLogger } from './logging/logger';
import { GATEWAY_SETTINGS, LOGGER } from './tokens';

/** The validated settings and the logger, injectable everywhere (GATEWAY_SETTINGS, LOGGER). */
@Global()
@Module({})
export class GatewayCoreModule {
  static forRoot(config: GatewayConfig, logger: GatewayLogger, telemetry?: Telemetry): DynamicModule {
    return {
      module: GatewayCoreModule,
      providers: [{ provide: GATEWAY_SETTINGS, useValue: config }, { provide: LOGGER, useValue: logger }, ...(telemetry ? [telemetryShutdownProvider(telemetry)] : [])],
      exports: [GATEWAY_SETTINGS, LOGGER],
    };
  }
}
