import { Inject, Injectable } from '@nestjs/common';
import { SUBJECTS, type DayJob } from '@giggles/contracts';
import { publishDurable } from '@giggles/messaging';
import type { JobPublisher } from '../services/ports';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/**
 * Publishes day jobs to GIGGLES_DAY_JOBS and waits for the stream's ack. The message id is the
 * job id (contracts `messageIds.dayJob`), so a repeat inside the duplicate window is dropped.
 */
@Injectable()
export class JetStreamJobPublisher implements JobPublisher {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async publish(job: DayJob): Promise<{ duplicate: boolean }> {
    const { duplicate } = await publishDurable(this.nats.js, SUBJECTS.dayJob, job, job.jobId);
    return { duplicate };
  }
}
