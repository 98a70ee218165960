import { type Command } from 'commander';
import { COMMANDS } from '@giggles/contracts';
import { requireDate, requireEmail } from '../operator/operator-args';
import { jsonLine, operatorAction } from '../operator/operator-action';
import { OperatorError } from '../operator/operator-errors';
import { processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { askScheduler } from '../operator/scheduler-client';
import { renderReprocess } from '../report/command-report';

interface ReprocessFlags extends OperatorFlags {
  user?: string;
  from?: string;
  to?: string;
}

/** `giggles reprocess --user EMAIL --from D --to D`: remove a range's results and process it again. */
export function registerReprocess(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('reprocess')
    .description("remove a user's detections, clips, windows and logs for local days FROM..TO (inclusive) and process them again")
    .option('--user <email>', "the user's e-mail")
    .option('--from <YYYY-MM-DD>', 'first local day')
    .option('--to <YYYY-MM-DD>', 'last local day (inclusive; the scheduler limits the range, default 31 days)');
  addOperatorFlags(command).action((flags: ReprocessFlags) =>
    operatorAction(io, 'reprocess', async () => {
      const email = requireEmail(flags.user);
      const from = requireDate('--from', flags.from);
      const to = requireDate('--to', flags.to);
      if (to < from) throw OperatorError.usage(`--to ${to} is before --from ${from}`);
      const target = schedulerTarget(flags, io.env);
      const reply = await askScheduler(target, COMMANDS.reprocess, { email, from, to });
      return flags.json ? jsonLine(reply) : renderReprocess(reply, email, from, to);
    }),
  );
}
