import type { ReadinessReport } from './readiness';

/** A service's answer on its `HEALTH_SUBJECTS` subject: its readiness report, who answered and when. */
export interface ServiceHealthReply extends ReadinessReport {
  service: string;
  /** ISO instant the report was made. */
  at: string;
  /** Process uptime in seconds (tells a restart loop from a steady service). */
  uptimeS: number;
}

/** Reads a reply off the wire; anything that is not a health reply is an error with the reason. */
export function parseServiceHealthReply(data: Uint8Array, subject: string): ServiceHealthReply {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new Error(`the reply on ${subject} is not JSON`);
  }
  if (!isRecord(json)) throw new Error(`the reply on ${subject} is not an object`);
  const { service, status, at, uptimeS, details, error, info } = json;
  if (typeof service !== 'string' || (status !== 'ok' && status !== 'error') || typeof at !== 'string' || typeof uptimeS !== 'number') {
    throw new Error(`the reply on ${subject} lacks service, status, at or uptimeS`);
  }
  if (!isRecord(details) || !isRecord(error) || !isRecord(info)) throw new Error(`the reply on ${subject} lacks its indicator details`);
  return json as unknown as ServiceHealthReply;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
