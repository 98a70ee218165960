import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { INGESTION_REQUESTS } from '@giggles/contracts';
import { serveQueries, type QueryServer } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { IngestionLogger } from '../logging/logger';
import { FirstAudioService } from '../services/first-audio.service';
import { ImportService } from '../services/import.service';
import { LOGGER } from '../tokens';

/** Every ingestion instance joins this queue group: each request is answered by one of them. */
export const INGESTION_REQUEST_QUEUE = 'giggles-ingestion';

/**
 * Answers INGESTION_REQUESTS over core NATS request/reply (the scheduler asks): the first day with
 * audio for a backfill, and reachability probes while a user's downloads are paused. Ingestion
 * answers them because it owns the Limitless API and its per-key rate limit. It also answers
 * imports (the CLI and the gateway ask): it owns the audio objects and publishes segment events.
 */
@Injectable()
export class IngestionRequestsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: QueryServer | undefined;

  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(FirstAudioService) private readonly firstAudio: FirstAudioService,
    @Inject(ImportService) private readonly imports: ImportService,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.server = serveQueries(
      this.nats.nc,
      {
        [INGESTION_REQUESTS.firstAudio]: (request) => this.firstAudio.firstAudio(request),
        [INGESTION_REQUESTS.probe]: (request) => this.firstAudio.probe(request.userId),
        [INGESTION_REQUESTS.importRecording]: (request) => this.imports.importRecording(request),
      },
      { queue: INGESTION_REQUEST_QUEUE, logger: this.logger },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}
