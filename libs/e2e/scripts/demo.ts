/**
 * `npm run demo [-- --port 8080] [--recordings DIR] [--timezone TZ] [--json]`
 *
 * The whole product on this machine: private NATS, Postgres, PostgREST, the Supabase Auth and
 * Limitless simulators, the five services as processes; a demo user registered through the
 * gateway's API whose simulated pendant recorded yesterday, that night processed; prints the web
 * app's URL and the demo credentials (with --json one JSON line) and stays up until Ctrl-C or
 * SIGTERM, then stops everything it started. Progress goes to stderr.
 */
import { relaunchedWithDecorators } from '../src/relaunch';

if (!relaunchedWithDecorators()) {
  import('../src/demo-cli.js')
    .then((cli) => cli.main())
    .catch((error: unknown) => {
      const setup = error instanceof Error && error.name === 'DemoSetupError';
      process.stderr.write(`demo: ${error instanceof Error ? (setup ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
      process.exit(1);
    });
}
