import type { Placement } from './timeline';

/**
 * `GET /v1/lifelogs` from a key's timeline (../shared/LIMITLESS_API.md): one lifelog per placed
 * recording, `{id, title, startTime, endTime, isStarred, updatedAt, markdown, contents}`, filtered
 * by `start`/`end` (ISO instants; a time without an offset is read as UTC — the simulator does not
 * implement `timezone`) or `date` (a UTC day), ordered by `direction` (`desc` by default, as the API
 * does), `limit` per page (1–100, default 3) and an opaque `cursor` for the next page.
 */

export interface SimulatedLifelog {
  id: string;
  title: string;
  startTime: string;
  endTime: string;
  isStarred: boolean;
  updatedAt: string;
  markdown: null;
  contents: never[];
}

export type LifelogPage = { lifelogs: SimulatedLifelog[]; nextCursor: string | null } | { error: string };

const DEFAULT_LIMIT = 3;

export function lifelogPage(timeline: readonly Placement[], query: URLSearchParams): LifelogPage {
  const direction = query.get('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') return { error: 'direction must be "asc" or "desc"' };
  const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_LIMIT;
  let fromMs = -Infinity;
  let toMs = Infinity;
  for (const [name, apply] of [
    ['start', (ms: number) => (fromMs = ms)],
    ['end', (ms: number) => (toMs = ms)],
  ] as const) {
    const value = query.get(name);
    if (value === null) continue;
    const ms = parseInstant(value);
    if (ms === undefined) return { error: `${name} must be an ISO-8601 date-time` };
    apply(ms);
  }
  const date = query.get('date');
  if (date !== null) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(Date.parse(`${date}T00:00:00Z`))) return { error: 'date must be YYYY-MM-DD' };
    fromMs = Math.max(fromMs, Date.parse(`${date}T00:00:00Z`));
    toMs = Math.min(toMs, Date.parse(`${date}T00:00:00Z`) + 86_400_000);
  }
  const cursor = query.get('cursor');
  const decoded = cursor === null ? '0' : Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d+$/.test(decoded)) return { error: 'cursor is invalid' };
  const offset = Number(decoded);

  const matching = timeline.filter((p) => p.startMs < toMs && fromMs < p.endMs);
  if (direction === 'desc') matching.reverse();
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? Buffer.from(String(offset + limit), 'utf8').toString('base64url') : null;
  return { lifelogs: page.map(toLifelog), nextCursor: next };
}

function parseInstant(value: string): number | undefined {
  const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function toLifelog(p: Placement): SimulatedLifelog {
  const startTime = new Date(p.startMs).toISOString();
  return {
    id: `sim-${p.startMs}`,
    title: `Recording at ${startTime}`,
    startTime,
    endTime: new Date(Math.ceil(p.endMs)).toISOString(),
    isStarred: false,
    updatedAt: new Date(Math.ceil(p.endMs)).toISOString(),
    markdown: null,
    contents: [],
  };
}
