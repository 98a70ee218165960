import { type FaultRates } from '@giggles/testing';
import { type RunNightOptions } from './run-night';
import { type ServiceMode } from './service-process';
import { defaultRecordingsDir } from './stack';

/**
 * `--faults 5xx=0.3,429=0.05,drop=0.02,drop-mid=0.02,corrupt=0.01,truncate=0.01,401=0.01,delay=0-200`
 * → the simulator's FaultRates (each a probability per request; delay in ms, fixed or a range).
 */
export function parseFaults(text: string): FaultRates {
  const rates: FaultRates = {};
  const keys: Record<string, keyof FaultRates> = {
    '5xx': 'serverErrorRate',
    '429': 'rateLimitRate',
    '401': 'unauthorizedRate',
    drop: 'dropBeforeHeadersRate',
    'drop-mid': 'dropMidBodyRate',
    corrupt: 'corruptRate',
    truncate: 'truncateRate',
  };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (name === 'delay') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(value ?? '');
      if (!m) throw new Error(`--faults delay: expected ms or min-max, got ${JSON.stringify(value)}`);
      rates.delayMs = m[2] ? [Number(m[1]), Number(m[2])] : Number(m[1]);
      continue;
    }
    const key = keys[name];
    const rate = Number(value);
    if (!key) throw new Error(`--faults: unknown fault ${JSON.stringify(name)} (known: ${[...Object.keys(keys), 'delay'].join(', ')})`);
    if (!(rate >= 0 && rate <= 1)) throw new Error(`--faults ${name}: a probability 0..1, got ${JSON.stringify(value)}`);
    (rates as Record<string, number>)[key] = rate;
  }
  return rates;
}

export interface E2eArgs {
  users: number;
  hours: number;
  recordings?: string;
  faults?: FaultRates;
  date?: string;
  mode?: ServiceMode;
  logDir?: string;
  env: Record<string, string>;
  timeoutS?: number;
  inferenceReplicas?: number;
  quiet: boolean;
}

const USAGE = `usage: npm run e2e -- [--users N] [--hours H] [--recordings DIR] [--faults 5xx=0.3,...]
                      [--date YYYY-MM-DD] [--mode source|dist] [--log-dir DIR] [--env KEY=VALUE]... [--timeout S]
                      [--inference-replicas N] [--quiet]`;

export function parseE2eArgs(argv: string[], defaults: Partial<E2eArgs> = {}): E2eArgs {
  const out: E2eArgs = { users: 2, hours: 2, env: {}, quiet: false, ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--users':
        out.users = positiveInt(flag, value());
        break;
      case '--hours':
        out.hours = positiveNumber(flag, value());
        if (out.hours > 24) throw new Error('--hours: at most 24 (one day)');
        break;
      case '--recordings':
        out.recordings = value();
        break;
      case '--faults':
        out.faults = parseFaults(value());
        break;
      case '--date':
        out.date = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(out.date)) throw new Error('--date: YYYY-MM-DD');
        break;
      case '--mode': {
        const m = value();
        if (m !== 'source' && m !== 'dist') throw new Error('--mode: source or dist');
        out.mode = m;
        break;
      }
      case '--log-dir':
        out.logDir = value();
        break;
      case '--env': {
        const kv = value();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new Error('--env: KEY=VALUE');
        out.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--timeout':
        out.timeoutS = positiveNumber(flag, value());
        break;
      case '--inference-replicas':
        out.inferenceReplicas = positiveInt(flag, value());
        break;
      case '--quiet':
        out.quiet = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  return out;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${flag}: a positive number, got ${JSON.stringify(v)}`);
  return n;
}

/** The night the parsed command line asks for (`npm run e2e` and `npm run bench:pipeline` alike). */
export function runNightOptions(args: E2eArgs, log: ((line: string) => void) | undefined): RunNightOptions {
  return {
    users: args.users,
    hours: args.hours,
    recordings: args.recordings ?? defaultRecordingsDir(),
    faults: args.faults,
    localDate: args.date,
    mode: args.mode,
    logDir: args.logDir,
    env: args.env,
    timeoutMs: args.timeoutS ? args.timeoutS * 1000 : undefined,
    inferenceReplicas: args.inferenceReplicas,
    log,
  };
}
