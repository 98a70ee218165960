import { Controller, Get, Inject, Res, ServiceUnavailableException, type OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { checkEventLoop, EventLoopMonitor, HealthRegistry } from '@giggles/health';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { LegacyHealthDto } from './health.dto';
import { PlatformHealth } from './platform-health';

/** Liveness fails when the event loop was blocked longer than this since the last probe. */
const MAX_EVENT_LOOP_DELAY_MS = 5_000;
const started = Date.now();

/**
 * `/api/health/live`, `/api/health/ready` (Terminus) and `/api/health` (uptime monitors and the
 * original app's route: its `status`/`message`/`timestamp` fields, 503 naming what is not ready).
 */
@ApiTags('health')
@Public()
@Controller('health')
export class GatewayHealthController implements OnModuleDestroy {
  private readonly loop = new EventLoopMonitor();

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
    @Inject(PlatformHealth) private readonly platform: PlatformHealth,
  ) {}

  @Get('live')
  live(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.report(this.health.check([() => checkEventLoop('eventLoop', this.loop, MAX_EVENT_LOOP_DELAY_MS)]), res);
  }

  @Get('ready')
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.report(this.health.check(this.registry.indicators()), res);
  }

  /** Terminus' 503 carries the report; answer it as is (the error filter would reduce it to a message). */
  private async report(check: Promise<HealthCheckResult>, res: Response): Promise<HealthCheckResult> {
    try {
      return await check;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  @Get()
  @ApiOkResponse({ type: LegacyHealthDto })
  @ApiServiceUnavailableResponse({ description: 'Not ready: `notReady` names what is down' })
  async summary(@Res({ passthrough: true }) res: Response): Promise<LegacyHealthDto> {
    const [report, platform] = await Promise.all([this.registry.readiness(), this.platform.summary()]);
    // the gateway's own failing checks, then every other service that is down or unreachable
    const notReady = [...new Set([...Object.keys(report.error), ...platform.notReady])];
    const body: LegacyHealthDto = {
      status: notReady.length === 0 ? 'healthy' : 'unhealthy',
      message: notReady.length === 0 ? 'Giggles API is running' : `Not ready: ${notReady.join(', ')}`,
      timestamp: new Date().toISOString(),
      uptimeS: Math.round((Date.now() - started) / 1000),
      notReady,
      checks: Object.fromEntries(Object.entries(report.details).map(([name, detail]) => [name, String(detail.status)])),
      services: platform.services,
      nightly: platform.nightly,
      reconciliation: platform.reconciliation,
    };
    if (notReady.length > 0) res.status(503);
    return body;
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }
}


