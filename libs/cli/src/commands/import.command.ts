import { type Command } from 'commander';
import { QUERY_ERROR_CODES } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { parseIsoInstant } from '@giggles/recordings';
import { errorLine } from '../error-line';
import { ImportClient } from '../imports/import-client';
import { listInputRecordings } from '../imports/input-recordings';
import { requireEmail } from '../operator/operator-args';
import { operatorAction } from '../operator/operator-action';
import { OperatorError } from '../operator/operator-errors';
import { EXIT, processIo, type OperatorIo } from '../operator/operator-io';
import { addOperatorFlags, type OperatorFlags, schedulerTarget } from '../operator/operator-options';
import { failedLine, importLine, importSummary, outcomeOf, type ImportOutcome } from '../report/import-report';

interface ImportFlags extends OperatorFlags {
  user?: string;
  start?: string;
}

/**
 * Seconds to wait per file when no --timeout is given: ingestion copies the file to a temporary
 * file, checks its header and runs ffprobe before it answers (a large file takes a while).
 */
const IMPORT_TIMEOUT_S = 300;

/**
 * `giggles import --user EMAIL [--start ISO-8601] FILE|DIR...`: each recording (any format ffmpeg
 * decodes) is streamed into the audio bucket and imported by ingestion: placed on the user's
 * timeline (--start, else its creation time, else its name), recorded, and processed like a
 * downloaded window. One line per file as it goes, then a summary; a bad file never stops the others.
 * Exit code 0 when every file was imported or already there, 1 when any was refused or not sent.
 */
export function registerImport(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('import')
    .description("import recordings from any source into a user's timeline (Ogg, WAV, MP3, M4A/AAC, FLAC, WebM, …)")
    .argument('<paths...>', 'files or directories (searched recursively; hidden files and symbolic links skipped)')
    .option('--user <email>', "the user's e-mail")
    .option('--start <ISO-8601>', "when the recording began, e.g. 2026-12-03T14:15:00 (the user's time zone) or with an offset; with several files, every file starts there — give it for one file at a time");
  addOperatorFlags(command).action((paths: string[], flags: ImportFlags) =>
    operatorAction(io, 'import', async () => {
      const email = requireEmail(flags.user);
      if (flags.start !== undefined && parseIsoInstant(flags.start, 'UTC') === undefined) {
        throw OperatorError.usage(`--start must be an ISO-8601 date and time such as 2026-12-03T14:15:00, got "${flags.start.slice(0, 64)}"`);
      }
      const inputs = await listInputRecordings(paths);
      if (inputs.length === 0) throw OperatorError.usage('no files to import');
      if (flags.start !== undefined && inputs.filter((i) => !i.problem).length > 1) {
        throw OperatorError.usage('--start places one recording: give it with one file');
      }
      const target = schedulerTarget(flags.timeout === undefined ? { ...flags, timeout: String(IMPORT_TIMEOUT_S) } : flags, io.env);

      let client: ImportClient;
      try {
        client = await ImportClient.connect(target.natsUrl, target.timeoutMs);
      } catch (error) {
        throw new OperatorError(`cannot reach NATS at ${target.natsUrl}: ${errorLine(error)}`);
      }
      const counts: Record<ImportOutcome | 'failed', number> = { imported: 0, duplicate: 0, refused: 0, failed: 0 };
      const replies: unknown[] = [];
      try {
        const user = await client.userByEmail(email).catch((error: unknown) => {
          if (error instanceof QueryError && error.code === QUERY_ERROR_CODES.notFound) throw new OperatorError(`no user ${email}`);
          throw new OperatorError(`cannot look up ${email}: ${errorLine(error)} (is persistence running?)`);
        });
        for (const input of inputs) {
          if (input.problem) {
            counts.failed++;
            if (!flags.json) io.out(failedLine(input.path, input.problem));
            continue;
          }
          try {
            const reply = await client.importFile(user.userId, input.path, flags.start);
            counts[outcomeOf(reply)]++;
            if (flags.json) replies.push({ path: input.path, ...reply });
            else io.out(importLine(input.path, reply));
          } catch (error) {
            // One file's failure (unreadable, no ingestion answer in time) is that file's line.
            counts.failed++;
            const reason = error instanceof QueryError && error.code === 'no_responders' ? 'no ingestion service answered: is it running?' : errorLine(error);
            if (flags.json) replies.push({ path: input.path, error: reason });
            else io.out(failedLine(input.path, reason));
          }
        }
      } finally {
        await client.close();
      }
      const report = flags.json ? JSON.stringify({ files: replies, counts }) + '\n' : importSummary(counts);
      const notImported = counts.refused + counts.failed;
      if (notImported === 0) return report;
      // The report is out; the exit code (1) and one stderr line say not everything went in.
      io.out(report);
      throw new OperatorError(`${notImported} of ${inputs.length} files not imported`, EXIT.failed);
    }),
  );
}
