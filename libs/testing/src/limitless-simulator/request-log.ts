import { createHash } from 'node:crypto';

/** One request as the simulator saw it (the key is hashed, never logged). */
export interface LimitlessRequest {
  at: number;
  method: string;
  /** Path and query string as requested. */
  path: string;
  endpoint: 'download-audio' | 'lifelogs' | 'other';
  /** First 12 hex chars of sha256(key), or null when no key was sent. */
  keyHash: string | null;
  /** HTTP status sent, 0 when the connection was dropped before headers. */
  status: number;
  /** Body bytes written. */
  bytes: number;
  durationMs: number;
  /** Injected fault kinds applied to this request. */
  faults: string[];
  /** For 200 audio: the instants the decoded audio covers. */
  audioStartMs?: number;
  audioEndMs?: number;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}
