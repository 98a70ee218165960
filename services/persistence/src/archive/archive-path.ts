/**
 * Archived window paths: `<userId>/<localDate>/<windowStartMs>-<windowEndMs>.ogg`. Built only from
 * validated parts (a uuid, a calendar date, two integers), so no id from a message can name a
 * path outside the user's folder; the stores check every path again (safeSegments).
 */
import { UnsafeClipPathError } from '../clips/clip-path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PATH = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(\d{4}-\d{2}-\d{2})\/(\d{1,15})-(\d{1,15})\.ogg$/;

export interface ArchivedWindowRef {
  userId: string;
  localDate: string;
  windowStartMs: number;
  windowEndMs: number;
}

export function archivePath(ref: ArchivedWindowRef): string {
  if (!UUID.test(ref.userId)) throw new UnsafeClipPathError('user id is not a uuid');
  if (!LOCAL_DATE.test(ref.localDate)) throw new UnsafeClipPathError('local date is not YYYY-MM-DD');
  if (!Number.isSafeInteger(ref.windowStartMs) || !Number.isSafeInteger(ref.windowEndMs) || ref.windowStartMs < 0 || ref.windowEndMs <= ref.windowStartMs) {
    throw new UnsafeClipPathError('window is not a pair of increasing non-negative integers');
  }
  return `${ref.userId.toLowerCase()}/${ref.localDate}/${ref.windowStartMs}-${ref.windowEndMs}.ogg`;
}

/** The window a stored path names; null for anything that is not an archive path (never ours to trust). */
export function parseArchivePath(path: string): ArchivedWindowRef | null {
  const match = PATH.exec(path);
  if (!match) return null;
  const [, userId, localDate, start, end] = match;
  const ref = { userId, localDate, windowStartMs: Number(start), windowEndMs: Number(end) };
  return ref.windowEndMs > ref.windowStartMs ? ref : null;
}

/** The folder of one user's archive, or of one of their days (for listing and deleting). */
export function archiveFolder(userId: string, localDate?: string): string {
  if (!UUID.test(userId)) throw new UnsafeClipPathError('user id is not a uuid');
  if (localDate !== undefined && !LOCAL_DATE.test(localDate)) throw new UnsafeClipPathError('local date is not YYYY-MM-DD');
  return localDate === undefined ? `${userId.toLowerCase()}/` : `${userId.toLowerCase()}/${localDate}/`;
}
