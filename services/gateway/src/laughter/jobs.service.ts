import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { COMMANDS, type CommandJob } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';

export interface StartedJob {
  jobId: string;
  localDate: string;
  state: CommandJob['state'];
}

function started(job: CommandJob): StartedJob {
  return { jobId: job.jobId, localDate: job.localDate, state: job.state };
}

/**
 * On-demand processing through the scheduler's COMMANDS, always for the signed-in user (the user
 * id comes from the session, never from the request). The scheduler refuses a range over its
 * limit (400) and days with a job in flight (409).
 */
@Injectable()
export class JobsService {
  constructor(@Inject(NatsQueryClient) private readonly queries: NatsQueryClient) {}

  async today(userId: string): Promise<{ job: StartedJob }> {
    const { job } = await needsKey(this.queries.ask(COMMANDS.processToday, { userId }));
    return { job: started(job) };
  }

  async reprocess(userId: string, from: string, to: string): Promise<{ jobs: StartedJob[] }> {
    if (to < from) throw new BadRequestException('to must not be before from');
    const { jobs } = await needsKey(this.queries.ask(COMMANDS.reprocess, { userId, from, to }));
    return { jobs: jobs.map(started) };
  }
}

/** The scheduler answers not_found for the signed-in user only when they have no usable key: that is a state to fix, not a missing resource. */
export const NO_KEY_MESSAGE = 'Processing needs a valid Limitless key — save one in Settings first';

async function needsKey<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundException) throw new ConflictException(NO_KEY_MESSAGE);
    throw error;
  }
}
