import { errorLine } from '../error-line';
import { OperatorError } from './operator-errors';
import { EXIT, type OperatorIo } from './operator-io';

/**
 * Runs one operator command: its text goes to stdout; any failure becomes one line
 * `giggles: <command>: <reason>` on stderr and the exit code (2 usage, 1 otherwise).
 */
export async function operatorAction(io: OperatorIo, command: string, body: () => Promise<string>): Promise<void> {
  try {
    io.out(await body());
    io.setExitCode(EXIT.ok);
  } catch (error) {
    io.err(`giggles: ${command}: ${errorLine(error)}\n`);
    io.setExitCode(error instanceof OperatorError ? error.exitCode : EXIT.failed);
  }
}

/** The reply as one JSON line (`--json`). */
export function jsonLine(reply: unknown): string {
  return JSON.stringify(reply) + '\n';
}
