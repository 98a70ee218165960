/**
 * Clip object paths: `<userId>/<localDate>/<detectionKey>.wav`. Deterministic, so storing a clip
 * twice (a redelivered result) writes the same object, and a detection row knows its clip
 * without another lookup.
 */
import { type DetectedEvent } from '@giggles/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEY = /^[A-Za-z0-9_-]{1,128}$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

export class UnsafeClipPathError extends Error {
  constructor(reason: string) {
    super(`unsafe clip path: ${reason}`);
    this.name = 'UnsafeClipPathError';
  }
}

/** One laugh's identity within a user: its start instant and YAMNet class (the table's key). */
export function detectionKey(event: Pick<DetectedEvent, 'startMs' | 'classId'>): string {
  if (!Number.isSafeInteger(event.startMs) || !Number.isSafeInteger(event.classId)) {
    throw new Error('detection key needs integer startMs and classId');
  }
  return `${event.startMs}-${event.classId}`;
}

export function clipPath(userId: string, localDate: string, key: string): string {
  if (!UUID.test(userId)) throw new UnsafeClipPathError('user id is not a uuid');
  if (!LOCAL_DATE.test(localDate)) throw new UnsafeClipPathError('local date is not YYYY-MM-DD');
  if (!KEY.test(key)) throw new UnsafeClipPathError('detection key has unexpected characters');
  return `${userId.toLowerCase()}/${localDate}/${key}.wav`;
}

/**
 * Checks a relative store path (a clip path or a listing prefix) and returns its segments.
 * Rejects anything that could leave the store's root: absolute paths, `..`/`.`/hidden segments,
 * backslashes, NUL and other unexpected characters, empty segments.
 */
export function safeSegments(path: string, options: { allowEmpty?: boolean } = {}): string[] {
  if (path.includes('\0')) throw new UnsafeClipPathError('contains NUL');
  if (path.includes('\\')) throw new UnsafeClipPathError('contains a backslash');
  if (path.startsWith('/')) throw new UnsafeClipPathError('is absolute');
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '') {
    if (options.allowEmpty) return [];
    throw new UnsafeClipPathError('is empty');
  }
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (segment === '') throw new UnsafeClipPathError('has an empty segment');
    // Covers `.` and `..`, and keeps dot-names free for the stores' own temporary files.
    if (segment.startsWith('.')) throw new UnsafeClipPathError('has a relative or hidden segment');
    if (!SEGMENT.test(segment)) throw new UnsafeClipPathError('has unexpected characters');
  }
  return segments;
}
