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
  if (reply.backfills.length > 0) out.push(textTable(['user', 'range', 'state', 'days done', 'failed', 'given up', 'in flight', 'audio h', 'laughs', 'ETA'], reply.backfills.map(backfillRow)));
  // Given-up days one per line with the reason (failures still retried are only counted above).
  for (const b of reply.backfills) {
    for (const g of b.givenUp ?? []) out.push(`  ${b.email} gave up ${g.localDate}: ${g.reason}\n`);
    const unlisted = (b.daysGivenUp ?? 0) - (b.givenUp?.length ?? 0);
    if (unlisted > 0) out.push(`  ${b.email}: ${unlisted} more day(s) given up\n`);
  }
  if (reply.outages.length > 0) {
    out.push(`\nLimitless unreachable — downloads paused: ${reply.outages.length}\n`);
    for (const o of reply.outages) out.push(`${outageLine(o)}\n`);
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
    String(b.daysGivenUp ?? 0),
    String(b.daysInFlight),
    (b.audioSeconds / 3600).toFixed(1),
    String(b.laughs),
    b.etaSeconds === undefined ? '-' : duration(b.etaSeconds),
  ];
}

/**
 * One line per paused user, built from the times (the stored reason's hour count is from the
 * moment of pausing and goes stale): since when nothing answered, that nothing is downloaded, the
 * last probe, and that it resumes by itself.
 */
function outageLine(o: ApiOutage): string {
  const since = o.unreachableSince ?? o.pausedAt;
  const what = since ? `Limitless unreachable since ${utc(since)}` : 'Limitless unreachable';
  const probe = o.lastProbeAt ? `, last probe ${utc(o.lastProbeAt)}` : '';
  return `  ${o.email}: PAUSED — ${what}; no downloads until it answers again (paused ${o.pausedAt ? utc(o.pausedAt) : '-'}${probe}), then it resumes by itself`;
}

function utc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : iso;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
