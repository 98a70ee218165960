import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry, MetricsService } from '@giggles/health';
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayLogger } from '../logging/logger';
import { GATEWAY_SETTINGS, LOGGER } from '../tokens';

/**
 * The health port (HEALTH_PORT), like every other service's: `/metrics` (Prometheus) and
 * `/health/ready`/`/health/live` for the operator's network only — never on the public port.
 * A plain HTTP server: nothing of the public API's middleware (cookies, CORS, CSP) applies here.
 */
@Injectable()
export class HealthPortServer implements OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
    @Inject(GATEWAY_SETTINGS) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  /** Starts listening; resolves with the port (HEALTH_PORT, or a free one when it is 0). */
  async listen(host: string): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = async (): Promise<void> => {
        if (req.method !== 'GET') {
          res.writeHead(405, { Allow: 'GET' }).end();
        } else if (path === '/metrics') {
          const { contentType, body } = await this.metrics.render();
          res.writeHead(200, { 'Content-Type': contentType }).end(body);
        } else if (path === '/health/ready') {
          const report = await this.registry.readiness();
          res.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(report));
        } else if (path === '/health/live') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
        } else {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: 404, message: 'Not found' }));
        }
      };
      reply().catch((error: unknown) => {
        this.logger.error({ err: error instanceof Error ? error.message : String(error), path }, 'health port request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.healthPort, host, () => resolve());
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
