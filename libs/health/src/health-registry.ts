import { Inject, Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { checkConsumer, JetStreamConsumerProbe, type ConsumerProbeOptions } from './indicators/consumer.indicator';
import { checkMemory } from './indicators/memory.indicator';
import { checkNats } from './indicators/nats.indicator';
import { checkPipeline, type PipelineProgress, type RunnerState } from './indicators/pipeline.indicator';
import { errorMessage, indicatorResult } from './util';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health-options';
import { NatsHealthResponder } from './nats/health-responder';
import { evaluateReadiness, type ReadinessReport } from './nats/readiness';
import { healthSubjectOf } from './nats/health-subject';

export type ReadinessCheck = () => Promise<HealthIndicatorResult> | HealthIndicatorResult;

export interface JetStreamWorkerHealth {
  nc: NatsConnection;
  stream: string;
  durable: string;
  progress: PipelineProgress;
  /** Down when messages wait and nothing progressed for this long. */
  stallAfterMs: number;
  /** The consumer runner (`() => handle.health()`); undefined while it is not started yet. */
  runner?: () => RunnerState | undefined;
  /** Key prefix for the indicators; default `consumer`/`pipeline`. */
  name?: string;
  probe?: ConsumerProbeOptions;
}

/**
 * Readiness checks by name. The memory check is always there; services add theirs as their
 * adapters come up (NATS connection, consumer, pipeline, database) and remove them on shutdown.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  /** Answers health requests over NATS once the first NATS check is added (see addNats). */
  private responder: { check: string; responder: NatsHealthResponder } | undefined;
  private readonly service: string;

  constructor(@Inject(HEALTH_MODULE_OPTIONS) options: HealthModuleOptions) {
    this.service = options.service;
    this.add('memory', () =>
      checkMemory('memory', { limitMb: options.memoryLimitMb, degradedRatio: options.memoryDegradedRatio, downRatio: options.memoryDownRatio }),
    );
  }

  /** Adds (or replaces) a readiness check; the result's key should be `name`. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  remove(name: string): void {
    this.checks.delete(name);
    if (this.responder?.check === name) {
      this.responder.responder.stop();
      this.responder = undefined;
    }
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Terminus indicator functions for every registered check. */
  indicators(): (() => Promise<HealthIndicatorResult>)[] {
    return [...this.checks.entries()].map(([name, check]) => async () => {
      try {
        return await check();
      } catch (error) {
        return indicatorResult(name, 'down', { message: errorMessage(error) });
      }
    });
  }

  /** Every registered check, run once, in `/health/ready`'s shape. */
  readiness(): Promise<ReadinessReport> {
    return evaluateReadiness(this.indicators());
  }

  /**
   * `nats`: connection open and a ping round-trip answers. The first NATS connection added also
   * answers health requests on the service's `HEALTH_SUBJECTS` subject (when the service has one)
   * with `readiness()`, until that check is removed at shutdown.
   */
  addNats(nc: NatsConnection, name = 'nats', timeoutMs?: number): void {
    this.add(name, () => checkNats(name, nc, { timeoutMs }));
    const subject = healthSubjectOf(this.service);
    if (!this.responder && subject) {
      this.responder = { check: name, responder: new NatsHealthResponder(nc, subject, this.service, () => this.readiness()) };
    }
  }

  /** `<name>`: the durable consumer exists (with pending counts); `pipeline`: work is moving. */
  addJetStreamWorker(worker: JetStreamWorkerHealth): JetStreamConsumerProbe {
    const probe = new JetStreamConsumerProbe(worker.nc, worker.stream, worker.durable, worker.probe);
    const consumerKey = worker.name ?? 'consumer';
    const pipelineKey = worker.name ? `${worker.name}_pipeline` : 'pipeline';
    this.add(consumerKey, () => checkConsumer(consumerKey, probe));
    this.add(pipelineKey, () =>
      checkPipeline(pipelineKey, { counts: () => probe.counts(), progress: worker.progress, stallAfterMs: worker.stallAfterMs, runner: worker.runner }),
    );
    return probe;
  }
}
