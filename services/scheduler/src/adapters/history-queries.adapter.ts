import { Inject, Injectable } from '@nestjs/common';
import {
  HISTORY_QUERIES,
  INGESTION_REQUESTS,
  type ApiOutage,
  type ApiOutageSetRequest,
  type BackfillGiveUpRequest,
  type BackfillPlanReply,
  type BackfillProgress,
  type BackfillSetStateRequest,
  type BackfillStartRequest,
  type FirstAudioReply,
  type FirstAudioRequest,
  type ProbeReply,
} from '@giggles/contracts';
import { request } from '@giggles/messaging';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { HistoryQueries } from '../services/ports';
import { SCHEDULER_SETTINGS } from '../tokens';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Backfill and outage queries to persistence, first-audio and probe requests to ingestion, over NATS. */
@Injectable()
export class NatsHistoryQueries implements HistoryQueries {
  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
  ) {}

  private get options() {
    return { timeoutMs: this.config.queryTimeoutMs };
  }

  async startBackfill(body: BackfillStartRequest): Promise<BackfillProgress> {
    return (await request(this.nats.nc, HISTORY_QUERIES.backfillStart, body, this.options)).backfill;
  }

  backfillPlan(limitPerUser: number): Promise<BackfillPlanReply> {
    return request(this.nats.nc, HISTORY_QUERIES.backfillPlan, { limitPerUser }, this.options);
  }

  async setBackfillState(body: BackfillSetStateRequest): Promise<BackfillProgress> {
    return (await request(this.nats.nc, HISTORY_QUERIES.backfillSetState, body, this.options)).backfill;
  }

  async backfillProgress(userId?: string): Promise<BackfillProgress[]> {
    return (await request(this.nats.nc, HISTORY_QUERIES.backfillProgress, userId ? { userId } : {}, this.options)).backfills;
  }

  async apiOutages(): Promise<ApiOutage[]> {
    return (await request(this.nats.nc, HISTORY_QUERIES.apiOutages, {}, this.options)).outages;
  }

  async setApiOutage(body: ApiOutageSetRequest): Promise<ApiOutage> {
    return (await request(this.nats.nc, HISTORY_QUERIES.apiOutageSet, body, this.options)).outage;
  }

  async giveUpBackfillDay(body: BackfillGiveUpRequest): Promise<boolean> {
    return (await request(this.nats.nc, HISTORY_QUERIES.backfillGiveUp, body, this.options)).updated;
  }

  firstAudio(body: FirstAudioRequest): Promise<FirstAudioReply> {
    return request(this.nats.nc, INGESTION_REQUESTS.firstAudio, body, { timeoutMs: this.config.firstAudioTimeoutMs });
  }

  probe(userId: string, timeoutMs?: number): Promise<ProbeReply> {
    // Ingestion waits up to its Limitless request timeout for an answer: the probe gets the long timeout.
    return request(this.nats.nc, INGESTION_REQUESTS.probe, { userId }, { timeoutMs: timeoutMs ?? this.config.firstAudioTimeoutMs });
  }
}
