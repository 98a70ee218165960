/**
 * Writes pipeline results. Each method is one Postgres function call (migrations/0006), so a
 * result is stored atomically and a redelivered message changes nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type JobProgress, type SegmentResult, type WindowOutcome } from '@giggles/contracts';
import { clipPath, detectionKey } from '../clips/clip-path';
import { unwrap } from '../database/database-error';
import { type JsonValue } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

export interface StoredEvent {
  startMs: number;
  classId: number;
  /** The live detection with this event's key, new or earlier; null if it was a duplicate. */
  detectionId: string | null;
  /** Where that detection's clip lives (null: no clip). */
  clipPath: string | null;
  /** The clip object to copy to clipPath: set only when the detection refers to this event's clip. */
  clipObject: string | null;
}

export interface SegmentWrite {
  /** False when the same outcome of the same job was already stored (a redelivery). */
  applied: boolean;
  segmentId: string;
  detectionsInserted: number;
  duplicatesSkipped: number;
  events: StoredEvent[];
}

export interface WindowWrite {
  applied: boolean;
  segmentId: string;
  /** The window's durable status after the write (a done window is never downgraded). */
  status: string;
}

export interface JobWrite {
  applied: boolean;
  status: string;
  windowsDone: number;
  windowsPlanned: number | null;
}

export interface DeadLetterWrite extends WindowWrite {
  /** failed_window: the window is recorded as failed; note: its outcome was stored, the error is only listed. */
  recordedAs: 'failed_window' | 'note';
}

interface SegmentReply {
  applied: boolean;
  segmentId: string;
  detectionsInserted: number;
  duplicatesSkipped: number;
  events: Array<{ startMs: number; classId: number; detectionId: string | null; clipPath: string | null }>;
}

@Injectable()
export class ResultsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  async recordSegmentResult(result: SegmentResult): Promise<SegmentWrite> {
    const requested = result.events.map((event) =>
      event.clipObject ? clipPath(result.userId, result.localDate, detectionKey(event)) : null,
    );
    const payload = {
      ...result,
      events: result.events.map((event, index) => ({ ...event, clipPath: requested[index] })),
    };
    const reply = unwrap(
      'record segment result',
      await this.db.rpc('giggles_record_segment_result', { payload: payload as unknown as JsonValue }),
    ) as unknown as SegmentReply;
    return {
      applied: reply.applied,
      segmentId: reply.segmentId,
      detectionsInserted: reply.detectionsInserted,
      duplicatesSkipped: reply.duplicatesSkipped,
      events: reply.events.map((stored, index) => ({
        ...stored,
        clipObject:
          stored.clipPath !== null && stored.clipPath === requested[index]
            ? (result.events[index].clipObject ?? null)
            : null,
      })),
    };
  }

  async recordWindowOutcome(outcome: WindowOutcome): Promise<WindowWrite> {
    const reply = unwrap(
      'record window outcome',
      await this.db.rpc('giggles_record_window_outcome', { payload: outcome as unknown as JsonValue }),
    );
    return reply as unknown as WindowWrite;
  }

  async recordJobProgress(progress: JobProgress): Promise<JobWrite> {
    const reply = unwrap(
      'record job progress',
      await this.db.rpc('giggles_record_job_progress', { payload: progress as unknown as JsonValue }),
    );
    return reply as unknown as JobWrite;
  }

  /**
   * A dead-lettered window result, as a WindowOutcome carrying the reason (status failed): the
   * window becomes failed unless this job already stored its outcome, in which case the error
   * is only listed in the log (migrations/0008). Idempotent.
   */
  async recordDeadLetter(failure: WindowOutcome): Promise<DeadLetterWrite> {
    const reply = unwrap(
      'record dead letter',
      await this.db.rpc('giggles_record_dead_letter', { payload: failure as unknown as JsonValue }),
    );
    return reply as unknown as DeadLetterWrite;
  }
}
