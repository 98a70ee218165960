/**
 * `npm run bench:pipeline [-- --users 2 --hours 1.5 ...]` (same flags as `npm run e2e`)
 *
 * The end-to-end pipeline at a size that takes about a minute on a quiet 2-core machine: two
 * users with an hour and a half of ../shared/eval recordings each (3 audio hours: ~70 s at the
 * 150× target), all three services as processes.
 * Prints audio hours, wall seconds (first day job published → every job done and every message
 * acked), × realtime, peak RSS per service and the load average before and after (figures only
 * mean something on a quiet machine), then the figures as JSON on the last line.
 */
import { relaunchedWithDecorators } from '../src/relaunch';

if (!relaunchedWithDecorators()) {
  import('./bench-pipeline-cli.js')
    .then((cli) => cli.main())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench:pipeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
