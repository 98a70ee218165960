/** Day jobs and their processing-log rows. */
import { Inject, Injectable } from '@nestjs/common';
import { type JobStatusReply } from '@giggles/contracts';
import { unwrap } from '../database/database-error';
import { type JobRow, type ProcessingLogRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

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

  /** The scheduler stops retrying a day's gaps; the day is no longer due for them. */
  async markGapsGivenUp(userId: string, localDate: string, at: Date = new Date()): Promise<void> {
    unwrap(
      'give up gaps',
      await this.db
        .from('processing_logs')
        .update({ gap_given_up_at: at.toISOString() })
        .eq('user_id', userId)
        .eq('date', localDate)
        .is('gap_given_up_at', null)
        .select('id'),
    );
  }
}
