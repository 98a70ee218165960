/** Day jobs and their processing-log rows. */
import { Inject, Injectable } from '@nestjs/common';
import {
  type JobState,
  type JobStatusReply,
  type JobTrigger,
  type OperationsStatusReply,
  type RegisterJobReply,
  type RegisterJobRequest,
  type StalledJob,
} from '@giggles/contracts';
import { unwrap } from '../database/database-error';
import { type JobRow, type JsonValue, type ProcessingLogRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { isoToMs, msToIso } from '../database/time';

/** PostgREST/jsonb timestamps carry microseconds and an offset; the wire wants plain ISO. */
function iso(value: string): string {
  return new Date(value).toISOString();
}

interface OperationsStatusRow {
  jobsInFlight: Array<{
    jobId: string;
    userId: string;
    email: string;
    localDate: string;
    trigger: string;
    status: JobState;
    windowsPlanned: number;
    windowsDone: number;
    registeredAt: string;
    updatedAt: string;
  }>;
  users: Array<{
    userId: string;
    email: string;
    timezone: string;
    keyStatus: 'active' | 'invalid' | 'none';
    lastProcessedDay: string | null;
    gapDays: string[];
    gapsGivenUp: string[];
  }>;
}

@Injectable()
export class JobsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** How far a job got, or null for an unknown job id. */
  async jobStatus(jobId: string): Promise<JobStatusReply | null> {
    const rows = unwrap(
      'get job status',
      await this.db.from('jobs').select('*').eq('job_id', jobId).limit(1),
    ) as JobRow[];
    const job = rows[0];
    if (!job) return null;
    return {
      jobId: job.job_id,
      userId: job.user_id,
      localDate: job.local_date,
      status: job.status,
      windowsPlanned: job.windows_planned ?? 0,
      windowsSkipped: job.windows_skipped,
      windowsProcessed: job.windows_processed,
      windowsEmpty: job.windows_empty,
      windowsGap: job.windows_gap,
      windowsFailed: job.windows_failed,
      updatedAt: new Date(job.updated_at).toISOString(),
    };
  }

  /** The day's processing-log rows (one per trigger; the original app's rows have none). */
  async dayLogs(userId: string, localDate: string): Promise<ProcessingLogRow[]> {
    return unwrap(
      'list day logs',
      await this.db.from('processing_logs').select('*').eq('user_id', userId).eq('date', localDate).order('created_at'),
    ) as ProcessingLogRow[];
  }

  /**
   * The scheduler stops retrying a day's gaps; the day is no longer due for them. The day's log
   * says when and why ("gaps given up at … because …"). False when nothing changed.
   */
  async markGapsGivenUp(userId: string, localDate: string, reason = 'retries exhausted'): Promise<boolean> {
    const reply = unwrap(
      'give up gaps',
      await this.db.rpc('giggles_give_up_gaps', { p_user_id: userId, p_date: localDate, p_reason: reason }),
    ) as unknown as { updated: boolean };
    return reply.updated;
  }

  /** The jobs row of a day job before it is published; an existing job id changes nothing. */
  async registerJob(job: RegisterJobRequest): Promise<RegisterJobReply> {
    return unwrap(
      'register job',
      await this.db.rpc('giggles_register_job', { payload: job as unknown as JsonValue }),
    ) as unknown as RegisterJobReply;
  }

  /**
   * Registered jobs ingestion never planned (still 'planned', no windows_planned) created before
   * `olderThanMs`, oldest first. Only jobs with a registered range can be published again.
   */
  async stalledJobs(olderThanMs: number, limit: number): Promise<StalledJob[]> {
    const rows = unwrap(
      'list stalled jobs',
      await this.db
        .from('jobs')
        .select('job_id, user_id, local_date, timezone, trigger, range_start, range_end, created_at')
        .eq('status', 'planned')
        .is('windows_planned', null)
        .lt('created_at', msToIso(olderThanMs))
        .not('range_start', 'is', null)
        .not('range_end', 'is', null)
        .not('timezone', 'is', null)
        .order('created_at')
        .limit(limit),
    ) as Array<Pick<JobRow, 'job_id' | 'user_id' | 'local_date' | 'timezone' | 'trigger' | 'range_start' | 'range_end' | 'created_at'>>;
    return rows.map((row) => ({
      jobId: row.job_id,
      userId: row.user_id,
      localDate: row.local_date,
      timezone: row.timezone as string,
      trigger: row.trigger as JobTrigger,
      startMs: isoToMs(row.range_start as string),
      endMs: isoToMs(row.range_end as string),
      registeredAt: iso(row.created_at),
    }));
  }

  /** Jobs in flight and every user with a key (or only `userId`'s), as `giggles status` shows them. */
  async operationsStatus(userId?: string): Promise<OperationsStatusReply> {
    const row = unwrap('operations status', await this.db.rpc('giggles_operations_status', userId ? { p_user_id: userId } : {})) as unknown as OperationsStatusRow;
    return {
      jobsInFlight: row.jobsInFlight.map((job) => ({
        ...job,
        registeredAt: iso(job.registeredAt),
        updatedAt: iso(job.updatedAt),
      })),
      users: row.users.map(({ lastProcessedDay, ...user }) => ({
        ...user,
        ...(lastProcessedDay ? { lastProcessedDay } : {}),
      })),
    };
  }
}
