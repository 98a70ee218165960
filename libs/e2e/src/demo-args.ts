import type { ServiceMode } from './service-process';

export interface DemoArgs {
  /** Public port of the gateway (default 8080, the gateway's own default). */
  port: number;
  /** Directory of .ogg files for yesterday's pendant (default ../shared/eval). */
  recordings?: string;
  /** The demo user's IANA timezone (default this machine's). */
  timezone: string;
  /** One JSON line on stdout once ready; everything else on stderr. */
  json: boolean;
  mode: ServiceMode;
  logDir?: string;
}

export const DEMO_DEFAULT_PORT = 8080;

export const DEMO_USAGE = `usage: npm run demo [-- --port 8080] [--recordings DIR] [--timezone Europe/Berlin] [--json]
  --port N           the gateway's port on 127.0.0.1: the web app and the API (default ${DEMO_DEFAULT_PORT}; 0 = any free port)
  --recordings DIR   Ogg Opus recordings the demo pendant made yesterday, in name order
                     (default ../shared/eval beside the checkout)
  --timezone TZ      the demo user's IANA time zone (default this machine's)
  --json             print exactly one line {"url","email","password","natsUrl"} on stdout once ready
  --mode source|dist run the services from source through tsx (default) or from their builds
  --log-dir DIR      where service logs and clips go (default a new temp dir)`;

/** Parses the demo's flags; throws with a message and the usage on anything wrong. */
export function parseDemoArgs(argv: string[], defaults: { timezone: string }): DemoArgs {
  const args: DemoArgs = { port: DEMO_DEFAULT_PORT, timezone: defaults.timezone, json: false, mode: process.env.E2E_SERVICE_MODE === 'dist' ? 'dist' : 'source' };
  const value = (flag: string, v: string | undefined): string => {
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${DEMO_USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--port': {
        const raw = value(flag, argv[++i]);
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65_535) throw new Error(`--port: a port number 0-65535 (got ${JSON.stringify(raw)})`);
        args.port = port;
        break;
      }
      case '--recordings': args.recordings = value(flag, argv[++i]); break;
      case '--timezone': {
        const tz = value(flag, argv[++i]);
        if (!isIanaZone(tz)) throw new Error(`--timezone: not an IANA time zone: ${JSON.stringify(tz)} (e.g. Europe/Berlin, America/New_York, UTC)`);
        args.timezone = tz;
        break;
      }
      case '--json': args.json = true; break;
      case '--mode': {
        const mode = value(flag, argv[++i]);
        if (mode !== 'source' && mode !== 'dist') throw new Error(`--mode: source or dist (got ${JSON.stringify(mode)})`);
        args.mode = mode;
        break;
      }
      case '--log-dir': args.logDir = value(flag, argv[++i]); break;
      case '--help': case '-h': throw new DemoHelpRequested();
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}\n${DEMO_USAGE}`);
    }
  }
  return args;
}

export class DemoHelpRequested extends Error {
  constructor() {
    super(DEMO_USAGE);
    this.name = 'DemoHelpRequested';
  }
}

export function isIanaZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** This machine's zone as Intl reports it (what a browser on it would send), else UTC. */
export function machineTimezone(): string {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz && isIanaZone(tz) ? tz : 'UTC';
}
