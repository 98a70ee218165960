import { type Command } from 'commander';
import { HISTORY_COMMANDS } from '@giggles/contracts';
import { requireDate, requireEmail } from '../operator/operator-args';
import { jsonLine, operatorAction } from '../operator/operator-action';
import { OperatorError } from '../operator/operator-errors';
import { processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { askScheduler } from '../operator/scheduler-client';
import { renderBackfillStarted, renderBackfillStatus } from '../report/backfill-report';

interface BackfillFlags extends OperatorFlags {
  user?: string;
  from?: string;
  to?: string;
  status?: boolean;
  pause?: boolean;
  resume?: boolean;
}

/**
 * Seconds to wait for the scheduler when no --timeout is given: without --from it first waits
 * for ingestion to find the first day with audio (up to ~150 Limitless requests under the key's
 * rate limit; the scheduler's SCHEDULER_FIRST_AUDIO_TIMEOUT is 3 minutes).
 */
const BACKFILL_TIMEOUT_S = 200;

/**
 * `giggles backfill --user EMAIL [--from D] [--to D]`: process the user's whole history (every day
 * from the first with audio, or --from, up to yesterday or --to), oldest first, as registered day
 * jobs that survive restarts. `--status`, `--pause`, `--resume` follow and control it.
 */
export function registerBackfill(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('backfill')
    .description("process a user's whole history: every day from the first with audio (or --from) up to yesterday (or --to), oldest first, in the nightly runs' spare capacity")
    .option('--user <email>', "the user's e-mail (optional with --status: everyone's backfills)")
    .option('--from <YYYY-MM-DD>', 'first local day (default: the first day with audio, found through the Limitless API)')
    .option('--to <YYYY-MM-DD>', 'last local day (default: yesterday in the user\'s time zone)')
    .option('--status', 'show progress (days done of total, audio hours, laughs, failures, ETA) instead of starting')
    .option('--pause', "pause the user's backfill (days in flight finish)")
    .option('--resume', "resume the user's backfill");
  addOperatorFlags(command).action((flags: BackfillFlags) =>
    operatorAction(io, 'backfill', async () => {
      const modes = [flags.status, flags.pause, flags.resume].filter(Boolean).length;
      if (modes > 1) throw OperatorError.usage('give at most one of --status, --pause, --resume');
      if (modes === 1 && (flags.from !== undefined || flags.to !== undefined)) throw OperatorError.usage('--from/--to only go with starting a backfill');
      const target = schedulerTarget(flags.timeout === undefined ? { ...flags, timeout: String(BACKFILL_TIMEOUT_S) } : flags, io.env);
      if (flags.status) {
        const request = flags.user === undefined ? {} : { email: requireEmail(flags.user) };
        const reply = await askScheduler(target, HISTORY_COMMANDS.backfillStatus, request);
        return flags.json ? jsonLine(reply) : renderBackfillStatus(reply);
      }
      const email = requireEmail(flags.user);
      if (flags.pause || flags.resume) {
        const subject = flags.pause ? HISTORY_COMMANDS.backfillPause : HISTORY_COMMANDS.backfillResume;
        const reply = await askScheduler(target, subject, { email });
        return flags.json ? jsonLine(reply) : `backfill of ${email}: ${reply.backfill.state} (${reply.backfill.daysDone}/${reply.backfill.totalDays} days done)\n`;
      }
      const from = flags.from === undefined ? undefined : requireDate('--from', flags.from);
      const to = flags.to === undefined ? undefined : requireDate('--to', flags.to);
      if (from !== undefined && to !== undefined && to < from) throw OperatorError.usage(`--to ${to} is before --from ${from}`);
      const reply = await askScheduler(target, HISTORY_COMMANDS.backfill, { email, ...(from ? { from } : {}), ...(to ? { to } : {}) });
      return flags.json ? jsonLine(reply) : renderBackfillStarted(reply);
    }),
  );
}
