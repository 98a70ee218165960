import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CONSUMERS, STREAMS, type DeadLetter } from '@giggles/contracts';
import { HealthRegistry, type PipelineProgress } from '@giggles/health';
import { runConsumer, type ConsumerHandle, type ConsumerHealth } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import { redeliverySchedule, type PersistenceConfig } from '../config/persistence-config';
import type { PersistenceLogger } from '../logging/logger';
import { decodeResultMessage, type ResultMessage } from '../services/result-message';
import { ResultsService } from '../services/results.service';
import { LOGGER, PERSISTENCE_SETTINGS, PIPELINE_PROGRESS } from '../tokens';

/** Every subject of the results stream: segment results, window outcomes, job progress. */
export const RESULTS_FILTER_SUBJECT = STREAMS.results.subjects[0];

/**
 * Consumes the results stream (durable `persistence-results`). Each message is decoded by its
 * subject with the contracts' validators and stored by ResultsService; it is acked only once the
 * database write, the clips and the object cleanup are done. A transient failure is naked with
 * backoff; an invalid payload, a permanent database rejection or the last allowed delivery goes
 * to the dead-letter stream and is recorded as a failure in the user's processing log.
 */
@Injectable()
export class ResultsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle: ConsumerHandle | undefined;

  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(ResultsService) private readonly results: ResultsService,
    @Inject(PERSISTENCE_SETTINGS) private readonly config: PersistenceConfig,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handle = await runConsumer<ResultMessage>({
      js: this.nats.js,
      stream: STREAMS.results.name,
      durable: CONSUMERS.persistenceResults,
      filterSubject: RESULTS_FILTER_SUBJECT,
      decode: decodeResultMessage,
      handle: async (message) => {
        await this.results.store(message);
        this.progress.markProgress();
      },
      onDeadLetter: (message, _reason, deadLetter: DeadLetter) => this.results.recordDeadLetter(message, deadLetter).then(() => undefined),
      maxDeliver: this.config.maxDeliver,
      ackWaitMs: this.config.ackWaitMs,
      backoffMs: redeliverySchedule(this.config.redeliveryDelayMs, this.config.redeliveryMaxDelayMs, this.config.maxDeliver),
      concurrency: this.config.concurrency,
      logger: this.logger,
    });
    this.handle = handle;
    this.health.addJetStreamWorker({
      nc: this.nats.nc,
      stream: STREAMS.results.name,
      durable: CONSUMERS.persistenceResults,
      progress: this.progress,
      stallAfterMs: this.config.stallAfterMs,
      runner: () => handle.health(),
    });
    this.logger.info(
      { stream: STREAMS.results.name, durable: CONSUMERS.persistenceResults, concurrency: this.config.concurrency },
      'consuming results',
    );
  }

  /** SIGTERM: stop pulling and let the messages in hand finish (ack or nak) before NATS drains. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!this.handle) return;
    this.logger.info({ signal }, 'stopping the results consumer');
    try {
      await this.handle.stop();
    } finally {
      this.health.remove('consumer');
      this.health.remove('pipeline');
    }
    this.logger.info('results consumer stopped');
  }

  /** The runner's counters (handled, dead-lettered, in flight), for tests and diagnostics. */
  runnerHealth(): ConsumerHealth | undefined {
    return this.handle?.health();
  }
}
