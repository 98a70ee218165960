import { Controller, Get, Inject, Res, type OnModuleDestroy } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { EventLoopMonitor, checkEventLoop } from './indicators/event-loop.indicator';
import { HEALTH_DEFAULTS, HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health-options';
import { HealthRegistry } from './health-registry';
import { MetricsService } from './metrics.service';

@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly loop = new EventLoopMonitor();
  private readonly maxDelayMs: number;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
    @Inject(HEALTH_MODULE_OPTIONS) options: HealthModuleOptions,
  ) {
    this.maxDelayMs = options.maxEventLoopDelayMs ?? HEALTH_DEFAULTS.maxEventLoopDelayMs;
  }

  /** Process and event loop only: a failing dependency must not get a healthy process restarted. */
  @Get('live')
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => checkEventLoop('eventLoop', this.loop, this.maxDelayMs)]);
  }

  /** Every registered indicator; 503 when any is down. */
  @Get('ready')
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.registry.indicators());
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }
}

/** The slice of the HTTP response the metrics endpoint needs (Express's satisfies it). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Get('metrics')
  async metricsText(@Res({ passthrough: true }) res: HeaderSink): Promise<string> {
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    return body;
  }
}
