import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HEALTH_MODULE_OPTIONS, HealthRegistry, MetricsService, type HealthModuleOptions } from '@giggles/health';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';
import { DependenciesHealth } from './dependencies.health';
import { GatewayHealthController } from './gateway-health.controller';
import { HealthPortServer } from './health-port.server';
import { PlatformHealth } from './platform-health';

/**
 * @giggles/health's registry and metrics (global, like HealthModule.forService) with the gateway's
 * own controller under /api/health — HealthModule's controllers would put /metrics on the
 * public port, so the health port is served by HealthPortServer instead.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [GatewayHealthController],
  providers: [
    {
      provide: HEALTH_MODULE_OPTIONS,
      useFactory: (config: GatewayConfig): HealthModuleOptions => ({ service: 'gateway', memoryLimitMb: config.memoryLimitMb }),
      inject: [GATEWAY_SETTINGS],
    },
    HealthRegistry,
    MetricsService,
    DependenciesHealth,
    PlatformHealth,
    HealthPortServer,
  ],
  exports: [HealthRegistry, MetricsService, HealthPortServer],
})
export class GatewayHealthModule {}
