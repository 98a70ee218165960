import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { SegmentReady } from '@giggles/contracts';
import type { PipelineProgress } from '@giggles/health';
import { TransientError } from '@giggles/messaging';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import type { SegmentRun, SegmentSource } from '../services/ports';
import type { SegmentProcessor } from '../services/segment-processor.service';
import { INFERENCE_SETTINGS, LOGGER, PIPELINE_PROGRESS, SEGMENT_PROCESSOR, SEGMENT_SOURCE } from '../tokens';

/**
 * Connects the segment source to the processor once everything is loaded, and stops it first on
 * shutdown: no new segment is pulled; the one in flight may finish within INFERENCE_SHUTDOWN_GRACE,
 * after which its analysis is aborted and the segment naked for another process to redo.
 * (NATS and the model are released afterwards, in `onApplicationShutdown`.)
 */
@Injectable()
export class SegmentWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(SEGMENT_SOURCE) private readonly source: SegmentSource,
    @Inject(SEGMENT_PROCESSOR) private readonly processor: SegmentProcessor,
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.source.start(
      (segment, run) => this.handle(segment, run),
      async (segment, reason) => {
        await this.processor.giveUp(segment, reason);
      },
    );
  }

  async handle(segment: SegmentReady, run: Omit<SegmentRun, 'signal'>): Promise<void> {
    const heartbeat = () => {
      run.heartbeat();
      this.progress.markProgress(); // readiness: the pipeline is moving even inside a 2-hour segment
    };
    await this.processor.process(segment, { ...run, heartbeat, signal: this.shutdown.signal });
    this.progress.markProgress();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const graceMs = this.config.shutdownGraceMs;
    this.logger.info({ signal, graceMs }, 'stopping: no new segments; the one in flight may finish within the grace period');
    const interrupt = setTimeout(() => {
      this.logger.warn({ graceMs }, 'grace period over: interrupting the segment in flight (it will be redelivered)');
      this.shutdown.abort(new TransientError('inference is shutting down; the segment will be redelivered'));
    }, graceMs);
    try {
      await this.source.stop();
    } finally {
      clearTimeout(interrupt);
    }
    this.logger.info('segment consumer stopped');
  }
}
