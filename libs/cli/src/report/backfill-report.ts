import type { ApiOutage, BackfillProgress, BackfillReply, BackfillStatusReply } from '@giggles/contracts';
import { textTable } from './text-table';

/** Text for `giggles backfill` and the backfill part of `giggles status`. */

export function renderBackfillStarted(reply: BackfillReply): string {
  const b = reply.backfill;
  const out: string[] = [];
  if (reply.firstAudio) {
    const how = reply.firstAudio.method === 'lifelogs' ? 'the lifelogs endpoint' : 'a search on download-audio';
    const at = reply.firstAudio.atMs !== undefined ? new Date(reply.firstAudio.atMs).toISOString() : 'nothing';
    out.push(`first audio: ${at} (found with ${how}, ${reply.firstAudio.requests} Limitless request${reply.firstAudio.requests === 1 ? '' : 's'})\n`);
  }
  out.push(`backfill of ${b.email}: ${b.from} .. ${b.to} (${b.totalDays} days, ${b.daysDone} already done), ${b.state}\n`);
  out.push('days are processed oldest first in the spare capacity of the nightly runs; follow with `giggles status` or `giggles backfill --status --user EMAIL`\n');
  return out.join('');
}

export function renderBackfillStatus(reply: BackfillStatusReply): string {
  const out: string[] = [];
  out.push(`\nbackfills: ${reply.backfills.length}\n`);
  if (reply.backfills.length > 0) out.push(textTable(['user', 'range', 'state', 'days done', 'failed', 'in flight', 'audio h', 'laughs', 'ETA'], reply.backfills.map(backfillRow)));
  if (reply.outages.length > 0) {
    out.push(`\nLimitless unreachable — downloads paused: ${reply.outages.length}\n`);
    out.push(textTable(['user', 'paused since', 'last probe', 'why'], reply.outages.map(outageRow)));
  }
  return out.join('');
}

function backfillRow(b: BackfillProgress): string[] {
  return [
    b.email,
    `${b.from}..${b.to}`,
    b.state,
    `${b.daysDone}/${b.totalDays} (${b.totalDays ? Math.floor((100 * b.daysDone) / b.totalDays) : 100}%)`,
    String(b.daysFailed),
    String(b.daysInFlight),
    (b.audioSeconds / 3600).toFixed(1),
    String(b.laughs),
    b.etaSeconds === undefined ? '-' : duration(b.etaSeconds),
  ];
}

function outageRow(o: ApiOutage): string[] {
  return [o.email, o.pausedAt ?? '-', o.lastProbeAt ?? '-', o.pauseReason ?? ''];
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
