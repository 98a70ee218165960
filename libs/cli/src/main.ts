import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.command';
import { registerBackfill } from './commands/backfill.command';
import { registerImport } from './commands/import.command';
import { registerModelFetch } from './commands/model-fetch.command';
import { registerModelImport } from './commands/model-import.command';
import { registerProcess } from './commands/process.command';
import { registerReprocess } from './commands/reprocess.command';
import { registerStatus } from './commands/status.command';
import { errorLine } from './error-line';

const program = new Command()
  .name('giggles')
  .description('Giggles — find the laughter in your recordings')
  .showHelpAfterError()
  .exitOverride();
registerAnalyze(program);
registerModelImport(program);
registerModelFetch(program);
registerProcess(program);
registerReprocess(program);
registerStatus(program);
registerBackfill(program);
registerImport(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`giggles: ${errorLine(error)}\n`);
  process.exitCode = 2;
});
