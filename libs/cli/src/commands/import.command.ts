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
import { failedLine, importLine, importSummary, outcomeOf, processedLine, type ImportOutcome } from '../report/import-report';
import { DEFAULT_WAIT_TIMEOUT_S, parseWaitTimeout, waitForImports, WAIT_TIMEOUT_BOUNDS_S } from '../imports/wait-for-imports';
import type { ImportRecord } from '@giggles/contracts';

interface ImportFlags extends OperatorFlags {
  user?: string;
  start?: string;
  wait?: boolean;
  waitTimeout?: string;
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
 * With --wait it then waits until each import is processed and prints its laughs per day or why
 * it failed; exit code 1 as well when any failed or the wait ran out.
 */
export function registerImport(program: Command, io: OperatorIo = processIo): void {
  const command = program
    .command('import')
    .description("import recordings from any source into a user's timeline (Ogg, WAV, MP3, M4A/AAC, FLAC, WebM, …)")
    .argument('<paths...>', 'files or directories (searched recursively; hidden files and symbolic links skipped)')
    .option('--user <email>', "the user's e-mail")
    .option('--start <ISO-8601>', "when the recording began, e.g. 2026-12-03T14:15:00 (the user's time zone) or with an offset; with several files, every file starts there — give it for one file at a time")
    .option('--wait', 'wait until each import is processed (or failed), then print its laughs per day or the error')
    .option('--wait-timeout <seconds>', `with --wait: how long to wait for all of them [${WAIT_TIMEOUT_BOUNDS_S.min}-${WAIT_TIMEOUT_BOUNDS_S.max}] (default ${DEFAULT_WAIT_TIMEOUT_S})`);
  addOperatorFlags(command).action((paths: string[], flags: ImportFlags) =>
    operatorAction(io, 'import', async () => {
      const email = requireEmail(flags.user);
      if (flags.start !== undefined && parseIsoInstant(flags.start, 'UTC') === undefined) {
        throw OperatorError.usage(`--start must be an ISO-8601 date and time such as 2026-12-03T14:15:00, got "${flags.start.slice(0, 64)}"`);
      }
      const waitMs = parseWaitTimeout(flags.waitTimeout);
      if (typeof waitMs === 'string') throw OperatorError.usage(waitMs);
      if (flags.waitTimeout !== undefined && !flags.wait) throw OperatorError.usage('--wait-timeout goes with --wait');
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
      const replies: Record<string, unknown>[] = [];
      const accepted: { path: string; record: ImportRecord; reply?: Record<string, unknown> }[] = [];
      let waited: { failed: number; timedOut: boolean } | undefined;
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
            const entry = { path: input.path, ...reply };
            if (flags.json) replies.push(entry);
            else io.out(importLine(input.path, reply));
            if (outcomeOf(reply) !== 'refused') accepted.push({ path: input.path, record: reply.import, reply: entry });
          } catch (error) {
            // One file's failure (unreadable, no ingestion answer in time) is that file's line.
            counts.failed++;
            const reason = error instanceof QueryError && error.code === 'no_responders' ? 'no ingestion service answered: is it running?' : errorLine(error);
            if (flags.json) replies.push({ path: input.path, error: reason });
            else io.out(failedLine(input.path, reason));
          }
        }
        if (flags.wait && accepted.length > 0) {
          if (!flags.json) io.out(`waiting for ${accepted.length} import${accepted.length === 1 ? '' : 's'} to be processed…\n`);
          const { records, timedOut } = await waitForImports(accepted.map((a) => a.record), waitMs, {
            read: (importId) => client.importRecord(user.userId, importId),
            now: Date.now,
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          });
          let failed = 0;
          for (const a of accepted) {
            const record = records.get(a.record.importId) ?? a.record;
            if (record.state !== 'done') failed++;
            if (flags.json && a.reply) a.reply.processed = record;
            else if (!flags.json) io.out(processedLine(a.path, record));
          }
          waited = { failed, timedOut };
        }
      } finally {
        await client.close();
      }
      const report = flags.json ? JSON.stringify({ files: replies, counts }) + '\n' : importSummary(counts);
      const notImported = counts.refused + counts.failed;
      if (waited && waited.failed > 0) {
        io.out(report);
        const why = waited.timedOut ? ` (the wait of ${Math.round(waitMs / 1000)} s ran out)` : '';
        throw new OperatorError(`${waited.failed + notImported} of ${inputs.length} files not processed${why}`, EXIT.failed);
      }
      if (notImported === 0) return report;
      // The report is out; the exit code (1) and one stderr line say not everything went in.
      io.out(report);
      throw new OperatorError(`${notImported} of ${inputs.length} files not imported`, EXIT.failed);
    }),
  );
}
