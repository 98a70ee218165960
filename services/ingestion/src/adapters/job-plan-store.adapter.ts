import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JobPlanStore, StoredPlan } from '../services/ports';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Where a job's plan lives: beside the audio, expiring with the bucket's TTL. */
export function planObjectName(jobId: string): string {
  return `plans/${createHash('sha256').update(jobId).digest('hex').slice(0, 32)}.json`;
}

/**
 * Job plans as small JSON objects in the audio bucket (`plans/…`, same TTL as the audio). A
 * redelivered job reuses its first plan, so the `planned` progress it reports never changes —
 * otherwise windows the job itself finished would come back as "skipped" and the job would
 * look complete before it is.
 */
@Injectable()
export class JetStreamJobPlanStore implements JobPlanStore {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async get(jobId: string): Promise<StoredPlan | undefined> {
    const store = this.nats.audioBucket.store;
    const name = planObjectName(jobId);
    const info = await store.info(name);
    if (!info || info.deleted) return undefined;
    const bytes = await store.getBlob(name);
    if (!bytes) return undefined;
    const plan = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return isPlan(plan) ? { planned: plan.planned, skipped: plan.skipped, windows: plan.windows } : undefined;
  }

  async put(jobId: string, plan: StoredPlan): Promise<void> {
    const body = new TextEncoder().encode(JSON.stringify({ jobId, ...plan }));
    await this.nats.audioBucket.store.putBlob({ name: planObjectName(jobId), description: 'ingestion job plan', metadata: { jobId } }, body);
  }
}

function isPlan(value: unknown): value is StoredPlan {
  const v = value as StoredPlan;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.planned) &&
    Number.isInteger(v.skipped) &&
    Array.isArray(v.windows) &&
    v.windows.every((w) => Number.isSafeInteger(w?.startMs) && Number.isSafeInteger(w?.endMs) && w.endMs > w.startMs)
  );
}
