import { type Command } from 'commander';
import { COMMANDS, HISTORY_COMMANDS, QUERIES } from '@giggles/contracts';
import { jsonLine, operatorAction } from '../operator/operator-action';
import { processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { askScheduler } from '../operator/scheduler-client';
import { renderBackfillStatus } from '../report/backfill-report';
import { renderArchiveStatus } from '../report/archive-report';
import { renderStatus } from '../report/command-report';

/** `giggles status`: jobs in flight, every user's last day and gaps, dead letters, the scheduler's clock. */
export function registerStatus(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('status')
    .description('jobs in flight, per-user last processed day and gaps, dead letters, scheduler last tick and reconciliation, kept audio per user');
  addOperatorFlags(command).action((flags: OperatorFlags) =>
    operatorAction(io, 'status', async () => {
      const target = schedulerTarget(flags, io.env);
      const reply = await askScheduler(target, COMMANDS.status, {});
      // Backfills and users paused because Limitless is unreachable; an older scheduler without them is not an error.
      const history = await askScheduler(target, HISTORY_COMMANDS.backfillStatus, {}).catch(() => undefined);
      // Every user's kept audio (persistence); an older persistence without the archive is not an error either.
      const archive = await askScheduler(target, QUERIES.archiveTotals, {}).catch(() => undefined);
      if (flags.json) {
        return jsonLine({ ...reply, ...(history ? { backfills: history.backfills, outages: history.outages } : {}), ...(archive ? { archive } : {}) });
      }
      return renderStatus(reply, io.now()) + (history ? renderBackfillStatus(history) : '') + (archive ? renderArchiveStatus(archive, reply.users) : '');
    }),
  );
}
