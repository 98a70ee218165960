import type { DayDetail, DayLaughs, DaysPage, ExportFormat, JobRef, KeyStatus, LaughView, Me, TrendRange, TrendsReply } from './types';
import type { BackfillStatus, BackfillView, LimitlessStatus } from './history-types';
import type { ArchiveSummary, DayArchive } from './archive-types';
import type { ImportView, UploadFinished, UploadState } from './upload-types';

/**
 * The one module that talks to the gateway. Cookies carry the session (the page never sees a
 * token); state-changing requests echo the readable `giggles_csrf` cookie in `X-CSRF-Token`; a 401
 * is answered by one `POST /api/session/refresh` and a retry, and if that fails too the app is told
 * to show the sign-in page.
 */

/** An API error with the gateway's plain-words message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CSRF_COOKIE = 'giggles_csrf';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Session routes whose 401 means "wrong credentials", not "session expired". */
const NO_REFRESH_PATHS = ['/api/session', '/api/account', '/api/session/refresh', '/api/account/password-reset'];

let onSignedOut: () => void = () => {};
/** The app registers what to do when the session cannot be renewed (show sign-in). */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

let refreshing: Promise<boolean> | null = null;
/** One refresh at a time, shared by every request that got a 401 meanwhile. */
function refreshSession(): Promise<boolean> {
  refreshing ??= send('POST', '/api/session/refresh')
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  // Raw bytes (an upload chunk) go as they are; everything else is JSON.
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
  if (UNSAFE_METHODS.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = '';
  try {
    const body = (await res.json()) as { message?: unknown };
    message = Array.isArray(body.message) ? body.message.join('; ') : typeof body.message === 'string' ? body.message : '';
  } catch {
    // not JSON: fall through to a message by status
  }
  return new ApiError(res.status, message || messageForStatus(res.status));
}

function messageForStatus(status: number): string {
  if (status === 401) return 'Please sign in again.';
  if (status === 404) return 'Not found.';
  if (status === 413) return 'That is too large.';
  if (status === 429) return 'Too many attempts — wait a minute and try again.';
  if (status >= 500) return 'Giggles is not reachable right now — try again in a moment.';
  return `The request failed (${status}).`;
}

/** A request with the refresh-once rule; resolves to the Response when it is OK, throws ApiError otherwise. */
async function request(method: string, path: string, body?: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await send(method, path, body);
  } catch {
    throw new ApiError(0, 'No connection — check your network and try again.');
  }
  if (res.status === 401 && !NO_REFRESH_PATHS.includes(path)) {
    if (await refreshSession()) res = await send(method, path, body);
    if (res.status === 401) {
      onSignedOut();
      throw new ApiError(401, 'Your session ended — please sign in again.');
    }
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return (await res.json()) as T;
}

async function none(method: string, path: string, body?: unknown): Promise<void> {
  await request(method, path, body);
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const api = {
  // account and session
  register: (email: string, password: string, timezone: string) =>
    json<{ user: Me }>('POST', '/api/account', { email, password, timezone }),
  signIn: (email: string, password: string) => json<{ user: Me }>('POST', '/api/session', { email, password }),
  signOut: () => none('DELETE', '/api/session'),
  requestPasswordReset: (email: string) => none('POST', '/api/account/password-reset', { email }),
  me: () => json<Me>('GET', '/api/me'),
  setTimezone: (timezone: string) => json<Me>('PATCH', '/api/me', { timezone }),
  deleteEverything: () => none('DELETE', '/api/me'),

  // Limitless key
  keyStatus: () => json<KeyStatus>('GET', '/api/limitless-key'),
  saveKey: (apiKey: string) => json<KeyStatus>('PUT', '/api/limitless-key', { apiKey }),
  deleteKey: () => none('DELETE', '/api/limitless-key'),

  // laughter
  days: (before?: string, limit?: number) => json<DaysPage>('GET', `/api/days${query({ before, limit })}`),
  day: (date: string) => json<DayDetail>('GET', `/api/days/${enc(date)}`),
  dayLaughs: (date: string, opts: { minProbability?: number; offset?: number; limit?: number } = {}) =>
    json<DayLaughs>('GET', `/api/days/${enc(date)}/laughs${query(opts)}`),
  deleteDay: (date: string) => none('DELETE', `/api/days/${enc(date)}`),
  updateLaugh: (id: string, change: { notes?: string | null; notLaugh?: boolean }) =>
    json<LaughView>('PATCH', `/api/laughs/${enc(id)}`, change),
  deleteLaugh: (id: string) => none('DELETE', `/api/laughs/${enc(id)}`),
  clip: (url: string) => request('GET', url),
  trends: (days: TrendRange) => json<TrendsReply>('GET', `/api/trends${query({ days })}`),
  processToday: () => json<{ job: JobRef }>('POST', '/api/jobs/today'),
  reprocess: (from: string, to: string) => json<{ jobs: JobRef[] }>('POST', '/api/jobs/reprocess', { from, to }),
  jobEventsUrl: (jobId: string) => `/api/jobs/${enc(jobId)}/events`,
  exportUrl: (format: ExportFormat) => `/api/export${query({ format })}`,

  // whole-history backfill and Limitless reachability
  backfillStatus: () => json<BackfillStatus>('GET', '/api/backfill'),
  startBackfill: (range: { from?: string; to?: string } = {}) => json<{ backfill: BackfillView }>('POST', '/api/backfill', range),
  pauseBackfill: () => json<{ backfill: BackfillView }>('POST', '/api/backfill/pause'),
  resumeBackfill: () => json<{ backfill: BackfillView }>('POST', '/api/backfill/resume'),
  backfillEventsUrl: () => '/api/backfill/events',
  limitlessStatus: () => json<LimitlessStatus>('GET', '/api/status/limitless'),

  // keeping the audio (the archive)
  archive: () => json<ArchiveSummary>('GET', '/api/archive'),
  setArchive: (enabled: boolean) => json<ArchiveSummary>('PUT', '/api/archive', { enabled }),
  dayArchive: (date: string) => json<DayArchive>('GET', `/api/archive/days/${enc(date)}`),
  dayAudioUrl: (date: string) => `/api/days/${enc(date)}/audio`,
  // recordings from any source: resumable uploads and their imports
  startUpload: (fileName: string, size: number) => json<UploadState>('POST', '/api/uploads', { fileName, size }),
  uploadState: (uploadId: string) => json<UploadState>('GET', `/api/uploads/${enc(uploadId)}`),
  uploadChunk: (uploadId: string, offset: number, chunk: Blob) => json<UploadState>('PUT', `/api/uploads/${enc(uploadId)}${query({ offset })}`, chunk),
  finishUpload: (uploadId: string, start?: string) => json<UploadFinished>('POST', `/api/uploads/${enc(uploadId)}/import`, start ? { start } : {}),
  abandonUpload: (uploadId: string) => none('DELETE', `/api/uploads/${enc(uploadId)}`),
  imports: () => json<{ imports: ImportView[] }>('GET', '/api/imports'),
  importOne: (importId: string) => json<ImportView>('GET', `/api/imports/${enc(importId)}`),
};
