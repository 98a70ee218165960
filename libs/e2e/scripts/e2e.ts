/**
 * `npm run e2e -- --users N --hours H [--recordings DIR] [--faults 5xx=0.3]`
 *
 * Starts the whole pipeline on this machine (private NATS, Postgres, PostgREST, the Limitless
 * simulator, the three services as processes), processes one night — one day job per user — and
 * prints a JSON summary read back from Postgres as its last line. Progress goes to stderr.
 */
import { relaunchedWithDecorators } from '../src/relaunch';

if (!relaunchedWithDecorators()) {
  import('./e2e-cli.js')
    .then((cli) => cli.main())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`e2e: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
