import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, MetricsController } from './health.controller';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health-options';
import { HealthRegistry } from './health-registry';
import { MetricsService } from './metrics.service';

/**
 * `GET /health/live` (event loop), `GET /health/ready` (every check in `HealthRegistry`) and
 * `GET /metrics` (Prometheus). Global: any provider can inject `HealthRegistry` and `MetricsService`.
 *
 * ```ts
 * @Module({ imports: [HealthModule.forService({ service: 'ingestion', memoryLimitMb: config.memoryLimitMb })] })
 * ```
 * then `app.listen(config.healthPort)` in main.ts.
 */
@Module({})
export class HealthModule {
  static forService(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }, HealthRegistry, MetricsService],
      exports: [HealthRegistry, MetricsService],
    };
  }
}
