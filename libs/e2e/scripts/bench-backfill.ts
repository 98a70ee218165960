/**
 * `npm run bench:backfill [-- --days 365 --nightly-users 3 --max-minutes 15]`
 *
 * A year (or --days) of simulated history for one user — each day one 10-minute recording from
 * ../shared/eval placed at 10:00 UTC on the simulator's timeline, the rest of the day 404 — backfilled
 * through the whole pipeline (real NATS, Postgres, PostgREST; persistence, ingestion, inference as
 * processes; the scheduler in this process on the real clock, its rounds driven every second).
 * Measures the backfill's wall time, the Limitless requests it made (the simulator's log for that
 * key), and how much a nightly run of --nightly-users other users is delayed when it starts in the
 * middle of the backfill, against the same nightly run alone. The key's rate limit (170/min by
 * ingestion's default, the simulator enforcing 180) is the floor: a day is 12 two-hour windows.
 * The backfill phase is bounded by --max-minutes (default 15): past it the backfill is paused, the
 * days in flight finish, and the year's time is extrapolated from the measured per-day rate (the
 * output says so). Also reported: days/s, requests per day and the peak in any minute against the
 * key's 180/min, and the concurrent nightly run's time as a ratio to the same run alone.
 * Prints the figures, then one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { SERVICES_TSCONFIG } from '../src/relaunch';

/**
 * The scheduler runs in this process, so the services' sources need legacy decorators too:
 * run again under tsconfig.services.json unless already (run-script's own config covers libs only).
 */
function relaunchedWithServiceDecorators(): boolean {
  if (process.env.TSX_TSCONFIG_PATH === SERVICES_TSCONFIG || !process.execArgv.some((a) => a.includes('tsx'))) return false;
  const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: SERVICES_TSCONFIG } });
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}

if (!relaunchedWithServiceDecorators()) {
  import('./bench-backfill-cli.js')
    .then((cli) => cli.main())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench:backfill: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
