/** A user's stored laughs: the day view, notes, deletion. */
import { Inject, Injectable } from '@nestjs/common';
import { type DetectionRecord } from '@giggles/contracts';
import { check, unwrap } from '../database/database-error';
import { type LaughterDetectionRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { isoToMs } from '../database/time';

/** Rows from the original app have no class; it only ever detected laughter. */
const LEGACY_CLASS_NAME = 'Laughter';

type DetectionColumns = Pick<
  LaughterDetectionRow,
  'id' | 'event_start' | 'event_end' | 'peak_at' | 'probability' | 'class_name' | 'clip_path' | 'notes'
>;

export interface DayDetection extends DetectionRecord {
  notes: string | null;
}

export interface DeletedDetection {
  deleted: boolean;
  /** The clip file to delete, if the detection had one. */
  clipPath: string | null;
}

function toRecord(row: DetectionColumns): DayDetection {
  const startMs = isoToMs(row.event_start);
  return {
    id: row.id,
    startMs,
    // Legacy rows stored only an instant.
    endMs: row.event_end ? isoToMs(row.event_end) : startMs,
    peakMs: row.peak_at ? isoToMs(row.peak_at) : startMs,
    probability: Number(row.probability),
    className: row.class_name ?? LEGACY_CLASS_NAME,
    ...(row.clip_path ? { clipPath: row.clip_path } : {}),
    notes: row.notes,
  };
}

@Injectable()
export class DetectionsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** The user's live detections whose window belongs to local day `localDate`, in time order. */
  async dayDetections(userId: string, localDate: string): Promise<DayDetection[]> {
    const rows = unwrap(
      'list day detections',
      await this.db
        .from('laughter_detections')
        .select(
          'id, event_start, event_end, peak_at, probability, class_name, clip_path, notes, audio_segments!inner(date)',
        )
        .eq('user_id', userId)
        .eq('audio_segments.date', localDate)
        .is('deleted_at', null)
        .order('event_start'),
    ) as unknown as DetectionColumns[];
    return rows.map(toRecord);
  }

  /** Returns false when the detection is not the user's (or is deleted). */
  async updateNotes(userId: string, detectionId: string, notes: string | null): Promise<boolean> {
    const rows = unwrap(
      'update notes',
      await this.db
        .from('laughter_detections')
        .update({ notes })
        .eq('id', detectionId)
        .eq('user_id', userId)
        .is('deleted_at', null)
        .select('id'),
    );
    return rows.length > 0;
  }

  /** Tombstones the detection (reprocessing will not bring it back) and hands back its clip path. */
  async deleteDetection(userId: string, detectionId: string): Promise<DeletedDetection> {
    const reply = unwrap(
      'delete detection',
      await this.db.rpc('giggles_delete_detection', { p_user_id: userId, p_detection_id: detectionId }),
    ) as unknown as DeletedDetection;
    return { deleted: reply.deleted, clipPath: reply.clipPath ?? null };
  }

  /** Whether a live detection refers to this clip (used before serving or deleting a clip). */
  async clipIsReferenced(userId: string, path: string): Promise<boolean> {
    const result = await this.db
      .from('laughter_detections')
      .select('id', { count: 'exact', head: true })
      .eq('user_id', userId)
      .eq('clip_path', path)
      .is('deleted_at', null);
    check('check clip reference', result);
    return (result.count ?? 0) > 0;
  }
}
