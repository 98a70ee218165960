/**
 * `npm run bench:scheduler [-- --users 100,1000 --clips 1000,10000 ...]`
 *
 * What the scheduler costs against its real dependencies (private nats-server, Postgres,
 * PostgREST, persistence as a process); the scheduler itself runs in a process of its own on a
 * fake clock (bench-scheduler-child.ts), so its resident set is its own. For each user count
 * (users with active keys spread over 13 time zones, inserted with SQL):
 *   catch-up — the first tick, every user's SCHEDULER_CATCH_UP_DAYS window due (2 published each);
 *   steady   — every due day covered by a finished job, nothing to publish (median of 3);
 *   nightly  — a day later: one new day per user.
 * Then the reconciliation over K planted clip files + detections (1 % orphans, 1 % missing).
 * Prints wall ms, ms per user, jobs published, persistence queries by subject, peak RSS of the
 * scheduler and persistence against their compose limits and V8 heap in use after each step (both
 * run with docker-compose.yml's NODE_OPTIONS heap caps unless told otherwise), /proc/loadavg; a
 * JSON line last.
 * About a minute and a half with the defaults on a quiet 2-core machine.
 */
import { relaunchedWithDecorators } from '../src/relaunch';

if (!relaunchedWithDecorators()) {
  import('./bench-scheduler-cli.js')
    .then((cli) => cli.main())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench:scheduler: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
