import { type Command } from 'commander';
import { COMMANDS } from '@giggles/contracts';
import { jsonLine, operatorAction } from '../operator/operator-action';
import { processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { askScheduler } from '../operator/scheduler-client';
import { renderStatus } from '../report/command-report';

/** `giggles status`: jobs in flight, every user's last day and gaps, dead letters, the scheduler's clock. */
export function registerStatus(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('status')
    .description('jobs in flight, per-user last processed day and gaps, dead letters, scheduler last tick and reconciliation');
  addOperatorFlags(command).action((flags: OperatorFlags) =>
    operatorAction(io, 'status', async () => {
      const reply = await askScheduler(schedulerTarget(flags, io.env), COMMANDS.status, {});
      return flags.json ? jsonLine(reply) : renderStatus(reply, io.now());
    }),
  );
}
