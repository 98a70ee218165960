import type { CommandJob, ReprocessReply, StatusReply } from '@giggles/contracts';
import { ago, localDateTime } from './local-time';
import { textTable } from './text-table';

const STATE_TEXT: Record<CommandJob['state'], string> = {
  queued: 'queued',
  already_queued: 'already queued (a job for this range is in flight; nothing new queued)',
  already_done: 'already done (nothing queued; `giggles reprocess` runs a day again)',
};

/** One job the scheduler queued (or did not): what, for whom, which local range, its id. */
export function renderJob(job: CommandJob, email: string): string {
  return [
    `${job.localDate} for ${email}: ${STATE_TEXT[job.state]}`,
    `  range  ${localDateTime(job.startMs, job.timezone)} → ${localDateTime(job.endMs, job.timezone)} ${job.timezone}`,
    `  job    ${job.jobId}`,
  ].join('\n') + '\n';
}

export function renderReprocess(reply: ReprocessReply, email: string, from: string, to: string): string {
  const r = reply.removed;
  const lines = [
    `reprocess ${from} … ${to} for ${email}`,
    `removed: ${r.detectionsRemoved} detections, ${r.clipsRemoved} clips, ${r.windowsRemoved} windows, ${r.logsRemoved} processing logs`,
  ];
  if (reply.jobs.length === 0) return lines.join('\n') + '\nno jobs queued\n';
  const queued = reply.jobs.filter((j) => j.state === 'queued').length;
  lines.push(`jobs: ${queued} queued of ${reply.jobs.length}`);
  const rows = reply.jobs.map((j) => [j.localDate, j.state, j.jobId]);
  return lines.join('\n') + '\n' + textTable(['date', 'state', 'job'], rows);
}

/** Newest first, at most `max`, then how many more. */
function dayList(days: string[], max = 3): string {
  if (days.length === 0) return '-';
  const shown = days.slice(0, max).join(', ');
  return days.length > max ? `${days.length}: ${shown}, …` : `${days.length}: ${shown}`;
}

export function renderStatus(status: StatusReply, nowMs: number): string {
  const out: string[] = [];
  const s = status.scheduler;
  const when = (iso: string | undefined) => (iso ? `${iso} (${ago(iso, nowMs)})` : 'never');
  out.push(`scheduler: last tick ${when(s.lastTickAt)}; last reconciliation ${when(s.lastReconcileAt)}${s.lastReconcileSummary ? ` — ${s.lastReconcileSummary}` : ''}\n`);

  out.push(`\njobs in flight: ${status.jobsInFlight.length}\n`);
  if (status.jobsInFlight.length > 0) {
    const rows = status.jobsInFlight.map((j) => [j.email, j.localDate, j.trigger, j.status, `${j.windowsDone}/${j.windowsPlanned}`, `${ago(j.updatedAt, nowMs)}`, j.jobId]);
    out.push(textTable(['user', 'date', 'trigger', 'status', 'windows', 'updated', 'job'], rows));
  }

  out.push(`\nusers: ${status.users.length}\n`);
  if (status.users.length > 0) {
    const rows = status.users.map((u) => [
      u.email,
      u.timezone,
      u.keyStatus,
      u.lastProcessedDay ?? '-',
      dayList(u.gapDays),
      dayList(u.gapsGivenUp),
      u.failedImports === undefined ? '-' : String(u.failedImports),
    ]);
    out.push(textTable(['e-mail', 'timezone', 'key', 'last processed', 'open gap days', 'given up', 'failed imports'], rows));
    // Why each user's newest failed import failed: the line an operator acts on.
    const failures = status.users.filter((u) => u.lastImportError);
    if (failures.length > 0) {
      out.push('\nlatest import errors:\n');
      const errors = failures.map((u) => {
        const e = u.lastImportError!;
        return [u.email, `${e.at} (${ago(e.at, nowMs)})`, oneLine(e.fileName, 60), oneLine(`${e.error.code}: ${e.error.message}`)];
      });
      out.push(textTable(['e-mail', 'imported', 'file', 'error'], errors));
    }
  }

  out.push(`\ndead letters: ${status.deadLetters.count}\n`);
  if (status.deadLetters.recent.length > 0) {
    out.push(textTable(['at', 'subject', 'reason'], status.deadLetters.recent.map((d) => [d.at, d.subject, oneLine(d.reason)])));
  }
  return out.join('');
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
