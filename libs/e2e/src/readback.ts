import { STREAMS } from '@giggles/contracts';
import { type JetStreamManager } from '@nats-io/jetstream';

type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface StoredDetection {
  id: string;
  segmentId: string;
  start: Date;
  end: Date | null;
  peakAt: Date | null;
  probability: number;
  meanProbability: number | null;
  classId: number | null;
  className: string | null;
  clipPath: string | null;
}

export interface StoredSegment {
  id: string;
  startMs: number;
  endMs: number;
  status: 'processed' | 'empty' | 'gap' | 'failed';
  decodedSeconds: number | null;
  jobId: string | null;
  attempts: number;
  error: unknown;
}

export interface WindowCounts {
  processed: number;
  empty: number;
  gap: number;
  failed: number;
}

export interface UserDayRecord {
  userId: string;
  localDate: string;
  detections: StoredDetection[];
  segments: StoredSegment[];
  windows: WindowCounts;
  job: Record<string, unknown> | null;
  log: Record<string, unknown> | null;
  key: { status: string; invalidSince: Date | null } | null;
}

/** Everything Postgres holds for one user's processed day (detections of deleted laughs excluded). */
export async function readUserDay(query: Query, user: { userId: string; localDate: string }, jobId: string): Promise<UserDayRecord> {
  const detections = await query<{
    id: string;
    audio_segment_id: string;
    timestamp: Date;
    event_end: Date | null;
    peak_at: Date | null;
    probability: string;
    mean_probability: string | null;
    class_id: number | null;
    class_name: string | null;
    clip_path: string | null;
  }>(
    `SELECT d.id, d.audio_segment_id, d."timestamp", d.event_end, d.peak_at, d.probability, d.mean_probability,
            d.class_id, d.class_name, d.clip_path
       FROM public.laughter_detections d
       JOIN public.audio_segments s ON s.id = d.audio_segment_id
      WHERE d.user_id = $1 AND s.date = $2 AND d.deleted_at IS NULL
      ORDER BY d."timestamp", d.class_id`,
    [user.userId, user.localDate],
  );
  const segments = await query<{
    id: string;
    start_time: Date;
    end_time: Date;
    status: StoredSegment['status'];
    decoded_seconds: number | null;
    job_id: string | null;
    attempts: number;
    error: unknown;
  }>(
    `SELECT id, start_time, end_time, status, decoded_seconds, job_id, attempts, error
       FROM public.audio_segments WHERE user_id = $1 AND date = $2 ORDER BY start_time`,
    [user.userId, user.localDate],
  );
  const jobs = await query<Record<string, unknown>>('SELECT * FROM public.jobs WHERE job_id = $1', [jobId]);
  const logs = await query<Record<string, unknown>>('SELECT * FROM public.processing_logs WHERE user_id = $1 AND date = $2 AND job_id = $3', [
    user.userId,
    user.localDate,
    jobId,
  ]);
  const keys = await query<{ status: string; invalid_since: Date | null }>(
    'SELECT status, invalid_since FROM public.limitless_keys WHERE user_id = $1 AND is_active',
    [user.userId],
  );
  const windows: WindowCounts = { processed: 0, empty: 0, gap: 0, failed: 0 };
  for (const s of segments) windows[s.status]++;
  return {
    userId: user.userId,
    localDate: user.localDate,
    detections: detections.map((d) => ({
      id: d.id,
      segmentId: d.audio_segment_id,
      start: d.timestamp,
      end: d.event_end,
      peakAt: d.peak_at,
      probability: Number(d.probability),
      meanProbability: d.mean_probability === null ? null : Number(d.mean_probability),
      classId: d.class_id,
      className: d.class_name,
      clipPath: d.clip_path,
    })),
    segments: segments.map((s) => ({
      id: s.id,
      startMs: s.start_time.getTime(),
      endMs: s.end_time.getTime(),
      status: s.status,
      decodedSeconds: s.decoded_seconds,
      jobId: s.job_id,
      attempts: s.attempts,
      error: s.error,
    })),
    windows,
    job: jobs[0] ?? null,
    log: logs[0] ?? null,
    key: keys[0] ? { status: keys[0].status, invalidSince: keys[0].invalid_since } : null,
  };
}

export interface DeadLetterRecord {
  subject: string;
  reason: string;
  payload: string;
}

/** The dead-letter stream's messages (limits retention: they stay). */
export async function readDeadLetters(jsm: JetStreamManager): Promise<DeadLetterRecord[]> {
  const info = await jsm.streams.info(STREAMS.deadLetters.name).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const out: DeadLetterRecord[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(STREAMS.deadLetters.name, { seq }).catch(() => null);
    if (!msg) continue;
    const body = msg.json<{ reason?: string; payload?: string }>();
    out.push({ subject: msg.subject, reason: body.reason ?? '', payload: body.payload ?? '' });
  }
  return out;
}
