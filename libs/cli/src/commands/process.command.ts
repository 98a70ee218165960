import { type Command } from 'commander';
import { COMMANDS } from '@giggles/contracts';
import { requireDate, requireEmail } from '../operator/operator-args';
import { jsonLine, operatorAction } from '../operator/operator-action';
import { OperatorError } from '../operator/operator-errors';
import { processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { askScheduler } from '../operator/scheduler-client';
import { renderJob } from '../report/command-report';

interface ProcessFlags extends OperatorFlags {
  user?: string;
  date?: string;
  today?: boolean;
}

/** `giggles process --user EMAIL (--date YYYY-MM-DD | --today)`: one day, or today so far, now. */
export function registerProcess(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('process')
    .description("process one user's local day now (a whole day that has ended, or --today: today so far)")
    .option('--user <email>', "the user's e-mail")
    .option('--date <YYYY-MM-DD>', "a local day in the user's time zone that has ended")
    .option('--today', "the user's local today, from midnight to now (provisional: the nightly run completes it)");
  addOperatorFlags(command).action((flags: ProcessFlags) =>
    operatorAction(io, 'process', async () => {
      const email = requireEmail(flags.user);
      if (flags.today && flags.date !== undefined) throw OperatorError.usage('give either --date YYYY-MM-DD or --today, not both');
      if (!flags.today && flags.date === undefined) throw OperatorError.usage('give --date YYYY-MM-DD or --today');
      const target = schedulerTarget(flags, io.env);
      const reply = flags.today
        ? await askScheduler(target, COMMANDS.processToday, { email })
        : await askScheduler(target, COMMANDS.processDay, { email, localDate: requireDate('--date', flags.date) });
      return flags.json ? jsonLine(reply) : renderJob(reply.job, email);
    }),
  );
}
