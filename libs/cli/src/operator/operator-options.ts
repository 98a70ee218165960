import { type Command } from 'commander';
import { DEFAULT_NATS_URL } from '@giggles/messaging';
import { OperatorError } from './operator-errors';

/** The flags every operator command takes. */
export interface OperatorFlags {
  nats?: string;
  timeout?: string;
  json?: boolean;
}

export interface SchedulerTarget {
  natsUrl: string;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_S = 15;
const TIMEOUT_BOUNDS_S = { min: 0.1, max: 600 } as const;

export function addOperatorFlags(command: Command): Command {
  return command
    .option('--nats <url>', `NATS server(s) the scheduler listens on (default $NATS_URL, then ${DEFAULT_NATS_URL})`)
    .option('--timeout <seconds>', `how long to wait for the scheduler's answer [${TIMEOUT_BOUNDS_S.min}-${TIMEOUT_BOUNDS_S.max}] (default ${DEFAULT_TIMEOUT_S})`)
    .option('--json', "print the scheduler's reply as JSON instead of text");
}

/** --nats, else $NATS_URL, else the local default; --timeout in seconds within its bounds. */
export function schedulerTarget(flags: OperatorFlags, env: NodeJS.ProcessEnv): SchedulerTarget {
  const natsUrl = flags.nats?.trim() || env.NATS_URL?.trim() || DEFAULT_NATS_URL;
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (flags.timeout !== undefined) {
    timeoutS = Number(flags.timeout);
    if (flags.timeout.trim() === '' || !Number.isFinite(timeoutS) || timeoutS < TIMEOUT_BOUNDS_S.min || timeoutS > TIMEOUT_BOUNDS_S.max) {
      throw OperatorError.usage(`--timeout must be a number of seconds from ${TIMEOUT_BOUNDS_S.min} to ${TIMEOUT_BOUNDS_S.max}, got "${flags.timeout}"`);
    }
  }
  return { natsUrl, timeoutMs: Math.round(timeoutS * 1000) };
}
