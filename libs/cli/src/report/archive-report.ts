import type { ArchiveTotalsReply, UserOperationsStatus } from '@giggles/contracts';
import { textTable } from './text-table';

/**
 * The audio archive's part of `giggles status`: the deployment's mode and retention, one row per
 * user with kept audio. `windows` have audio; `empty` are windows remembered as empty (Limitless
 * had no audio: no file, no bytes) — '-' from a persistence older than migration 0016.
 */
export function renderArchiveStatus(reply: ArchiveTotalsReply, users: Pick<UserOperationsStatus, 'userId' | 'email'>[]): string {
  const emails = new Map(users.map((u) => [u.userId.toLowerCase(), u.email]));
  const kept = reply.retentionDays > 0 ? `kept ${reply.retentionDays} days` : 'kept until deleted';
  const total = reply.users.reduce((sum, u) => sum + u.bytes, 0);
  const out = [`\naudio archive: ${reply.mode}${reply.mode === 'off' ? '' : `, ${kept}`}; ${reply.users.length} user${reply.users.length === 1 ? '' : 's'}, ${bytes(total)}\n`];
  if (reply.users.length > 0) {
    const rows = reply.users.map((u) => [emails.get(u.userId.toLowerCase()) ?? u.userId, bytes(u.bytes), String(u.windows), u.emptyWindows === undefined ? '-' : String(u.emptyWindows), String(u.days), u.oldestDate ?? '-', u.newestDate ?? '-']);
    out.push(textTable(['user', 'size', 'windows', 'empty', 'days', 'oldest', 'newest'], rows));
  }
  return out.join('');
}

/** Decimal units, one decimal: what `du -h --si` would say. */
function bytes(n: number): string {
  if (n < 1_000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1_000;
  let unit = 0;
  while (value >= 1_000 && unit < units.length - 1) {
    value /= 1_000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
