/**
 * `npm run bench:gateway [-- --duration 60 --rate 200 --users 50 --days 365]`
 *
 * The gateway's read path under load, on this machine: private NATS, Postgres, PostgREST and the
 * Supabase Auth simulator (startHarness), persistence and the gateway as processes (the scheduler
 * too, for the gateway's readiness). 50 users signed up at the auth simulator (their real access
 * tokens), each with a year of processed nights written through persistence's own write functions
 * (a few users; the rest set-based copies) and a 4 KB WAV per laugh in the filesystem clip store.
 * Then autocannon on 127.0.0.1 only, bounded in time: a mix of reads (30 % the day list, 30 % a
 * day's laughs, 15 % trends over 30/90/365 days, 25 % a clip) at 200 requests/s for 60 s —
 * p50/p95/p99, errors —, then a search for the highest rate whose p99 stays under 100 ms; the
 * gateway's and persistence's peak RSS. Prints a table, then one JSON line last.
 */
import { relaunchedWithDecorators } from '../src/relaunch';

if (!relaunchedWithDecorators()) {
  import('../src/bench-gateway-cli.js')
    .then((cli) => cli.main())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench:gateway: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
