/** The body of bench-backfill.ts, loaded after the decorator relaunch (see src/relaunch.ts). */
import os from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { HISTORY_COMMANDS, QUERIES, SUBJECTS, type DayJob } from '@giggles/contracts';
import { addDays, localDateOf, localDayRange, peakPerMinute, startStack, type StackUser } from '@giggles/e2e';
import { request } from '@giggles/messaging';
import { createSchedulerApp, type SchedulerApp } from '@giggles/scheduler';
import { freePort, hashKey, sharedDir } from '@giggles/testing';
import pino from 'pino';

const HOUR = 3_600_000;

interface Args {
  days: number;
  nightlyUsers: number;
  nightlyHours: number;
  /** Time bound of the backfill phase: past it the backfill is paused and the figures extrapolated. */
  maxMinutes: number;
}

/** The key's limit the simulator enforces (LIMITLESS_API.md: 180 requests a minute per key). */
const KEY_LIMIT_PER_MINUTE = 180;

function parseArgs(argv: string[]): Args {
  const args: Args = { days: 365, nightlyUsers: 3, nightlyHours: 0.5, maxMinutes: 15 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    const bounded = (min: number, max: number) => {
      if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${flag} must be a number from ${min} to ${max}`);
      i++;
      return value;
    };
    if (flag === '--days') args.days = Math.round(bounded(2, 1000));
    else if (flag === '--nightly-users') args.nightlyUsers = Math.round(bounded(1, 20));
    else if (flag === '--nightly-hours') args.nightlyHours = bounded(0.1, 4);
    else if (flag === '--max-minutes') args.maxMinutes = bounded(1, 24 * 60);
    else throw new Error(`unknown flag ${flag} (known: --days N, --nightly-users N, --nightly-hours H, --max-minutes M)`);
  }
  return args;
}

export async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = (line: string) => process.stderr.write(`bench:backfill: ${line}\n`);
  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  log(`load average before: ${loadBefore.join(' ')} (${os.cpus().length} cores)`);
  const evalDir = join(sharedDir(), 'eval');
  const recordings = [join(evalDir, 'long_d1.ogg'), join(evalDir, 'long_d2.ogg')];
  const today = localDateOf(Date.now(), 'UTC');
  const firstDay = addDays(today, -args.days);

  const stack = await startStack({
    users: [
      { timezone: 'UTC', localDate: firstDay, hours: 0 },
      ...Array.from({ length: args.nightlyUsers }, (_, i) => {
        const timezone = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'][i % 4]!;
        return { timezone, localDate: addDays(localDateOf(Date.now(), timezone), -1), hours: args.nightlyHours };
      }),
    ],
    recordings,
    env: { INGESTION_WINDOW_MINUTES: '120' },
    only: ['persistence', 'ingestion', 'inference'],
    log,
  });
  let scheduler: SchedulerApp | undefined;
  try {
    const [historyUser, ...nightlyUsers] = stack.users as [StackUser, ...StackUser[]];
    for (let d = 0; d < args.days; d++) {
      stack.simulator.addRecording(historyUser.apiKey, localDayRange(addDays(firstDay, d), 'UTC').startMs + 10 * HOUR, recordings[d % 2]!);
    }
    const setActive = (users: StackUser[], active: boolean) =>
      stack.query('UPDATE public.limitless_keys SET is_active = $2 WHERE user_id = ANY($1)', [users.map((u) => u.userId), active]);
    await setActive(stack.users, false);

    scheduler = await createSchedulerApp({
      env: { NATS_URL: stack.harness.natsUrl, HEALTH_PORT: String(await freePort()), SCHEDULER_CATCH_UP_DAYS: '1', SCHEDULER_BACKFILL_INTERVAL: '1s', LOG_LEVEL: 'warn' },
      logger: pino({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() })),
      timers: false,
      host: '127.0.0.1',
    });
    const s = scheduler;
    const published = () => stack.tap.payloads<DayJob>(SUBJECTS.dayJob);
    const jobsDone = async (userIds: string[]) => {
      const rows = await stack.query<{ n: string }>("SELECT count(*) AS n FROM public.jobs WHERE user_id = ANY($1) AND status IN ('planned', 'running')", [userIds]);
      const any = await stack.query<{ n: string }>('SELECT count(*) AS n FROM public.jobs WHERE user_id = ANY($1)', [userIds]);
      return Number(rows[0]!.n) === 0 && Number(any[0]!.n) > 0;
    };
    const nightlyRun = async (): Promise<number> => {
      await setActive(nightlyUsers, true);
      const started = Date.now();
      await s.tick();
      while (!(await jobsDone(nightlyUsers.map((u) => u.userId)))) {
        stack.assertServicesAlive();
        await new Promise((r) => setTimeout(r, 250));
      }
      return (Date.now() - started) / 1000;
    };

    // 1. The nightly run of the other users alone.
    log(`baseline: the nightly run of ${args.nightlyUsers} users (${args.nightlyHours} h of audio each) alone`);
    const baselineS = await nightlyRun();
    log(`baseline nightly: ${baselineS.toFixed(1)} s`);
    for (const user of nightlyUsers) {
      await request(stack.nc, QUERIES.clearDays, { userId: user.userId, from: user.localDate, to: user.localDate }, { timeoutMs: 30_000 });
    }
    await setActive(nightlyUsers, false);

    // 2. The backfill, with the same nightly run started a third of the way in.
    await setActive([historyUser], true);
    const requestsBefore = stack.simulator.requests().length;
    const started = Date.now();
    const reply = await request(stack.nc, HISTORY_COMMANDS.backfill, { email: historyUser.email }, { timeoutMs: 200_000 });
    log(`backfill ${reply.backfill.from} .. ${reply.backfill.to} (${reply.backfill.totalDays} days; first audio by ${reply.firstAudio?.method}, ${reply.firstAudio?.requests} request(s))`);
    let nightlyDuringS: number | undefined;
    let nightlyDuring: Promise<number> | undefined;
    let lastLog = 0;
    const boundMs = args.maxMinutes * 60_000;
    let timedOut = false;
    for (;;) {
      stack.assertServicesAlive();
      await s.backfillTick();
      // A query that fails on a busy machine (PostgREST timing out) is asked again next second.
      const status = await request(stack.nc, HISTORY_COMMANDS.backfillStatus, { email: historyUser.email }, { timeoutMs: 30_000 }).catch((error: unknown) => {
        log(`progress not available this round: ${(error as Error).message}`);
        return undefined;
      });
      if (!status) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const [progress] = status.backfills;
      // A third of the way in — of the days, or of the time bound when that comes first.
      if (!nightlyDuring && (progress!.daysDone >= progress!.totalDays / 3 || Date.now() - started >= boundMs / 3)) {
        log(`starting the nightly run of the other users at ${progress!.daysDone}/${progress!.totalDays} days`);
        nightlyDuring = nightlyRun().then((t) => (nightlyDuringS = t));
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`${progress!.daysDone}/${progress!.totalDays} days, ${(progress!.audioSeconds / 3600).toFixed(1)} audio h, ${progress!.laughs} laughs, ETA ${progress!.etaSeconds ?? '-'} s`);
      }
      if (progress!.state === 'done') break;
      if (Date.now() - started >= boundMs && nightlyDuringS !== undefined) {
        // The bound: stop publishing, let the days in flight finish, and extrapolate from the days done.
        timedOut = true;
        log(`time bound of ${args.maxMinutes} min reached at ${progress!.daysDone}/${progress!.totalDays} days: pausing the backfill`);
        await request(stack.nc, HISTORY_COMMANDS.backfillPause, { email: historyUser.email }, { timeoutMs: 30_000 });
        while (!(await jobsDone([historyUser.userId]))) {
          stack.assertServicesAlive();
          await new Promise((r) => setTimeout(r, 500));
        }
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const wallS = (Date.now() - started) / 1000;
    await nightlyDuring;
    const [final] = (await request(stack.nc, HISTORY_COMMANDS.backfillStatus, { email: historyUser.email }, { timeoutMs: 30_000 })).backfills;
    const key = hashKey(historyUser.apiKey);
    const backfillRequests = stack.simulator.requests().slice(requestsBefore).filter((r) => r.keyHash === key);
    const statuses = backfillRequests.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    const backfillJobs = published().filter((j) => j.userId === historyUser.userId && j.trigger === 'backfill').length;
    const loadAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const peak = peakPerMinute(backfillRequests.map((r) => r.at));
    const secondsPerDay = wallS / Math.max(1, final!.daysDone);
    const figures = {
      days: final!.totalDays,
      completed: !timedOut,
      maxMinutes: args.maxMinutes,
      backfillJobs,
      daysDone: final!.daysDone,
      daysFailed: final!.daysFailed,
      daysGivenUp: final!.daysGivenUp ?? 0,
      daysPerSecond: Math.round((final!.daysDone / wallS) * 1000) / 1000,
      /** Measured seconds per day done, times 365: an extrapolation, not a measurement, unless completed with days = 365. */
      yearSecondsExtrapolated: Math.round(secondsPerDay * 365),
      requestsPerDay: Math.round((backfillRequests.length / Math.max(1, final!.daysDone)) * 10) / 10,
      peakRequestsPerMinute: peak,
      keyLimitPerMinute: KEY_LIMIT_PER_MINUTE,
      audioHours: Math.round((final!.audioSeconds / 3600) * 100) / 100,
      laughs: final!.laughs,
      wallSeconds: Math.round(wallS * 10) / 10,
      secondsPerDay: Math.round(secondsPerDay * 100) / 100,
      limitlessRequests: backfillRequests.length,
      requestsByStatus: statuses,
      requestsPerMinute: Math.round((backfillRequests.length / wallS) * 60 * 10) / 10,
      nightlyUsers: args.nightlyUsers,
      nightlyAloneSeconds: Math.round(baselineS * 10) / 10,
      nightlyDuringBackfillSeconds: nightlyDuringS === undefined ? null : Math.round(nightlyDuringS * 10) / 10,
      nightlyDelaySeconds: nightlyDuringS === undefined ? null : Math.round((nightlyDuringS - baselineS) * 10) / 10,
      nightlyDelayRatio: nightlyDuringS === undefined ? null : Math.round((nightlyDuringS / baselineS) * 100) / 100,
      peakRssMb: stack.peakRssMb(),
      loadBefore,
      loadAfter,
    };
    process.stderr.write(
      [
        '',
        `backfill: ${figures.days} days of history (one 10-minute recording a day), ${figures.daysDone} done, ${figures.daysFailed} failed, ${figures.daysGivenUp} given up`,
        timedOut ? `  STOPPED at the ${args.maxMinutes}-minute bound: figures below are for the ${figures.daysDone} days done` : `  completed`,
        `  wall seconds        ${figures.wallSeconds} (${figures.secondsPerDay} s per day, ${figures.daysPerSecond} days/s)`,
        `  a year (365 days)   ${timedOut || figures.days !== 365 ? 'EXTRAPOLATED ' : ''}${figures.yearSecondsExtrapolated} s = ${(figures.yearSecondsExtrapolated / 3600).toFixed(2)} h at the measured per-day rate`,
        `  Limitless requests  ${figures.limitlessRequests} (${JSON.stringify(statuses)}; ${figures.requestsPerDay} per day; average ${figures.requestsPerMinute}/min, peak ${peak} in any minute vs the key's ${KEY_LIMIT_PER_MINUTE}/min)`,
        `  audio hours, laughs ${figures.audioHours}, ${figures.laughs}`,
        `  nightly run of ${args.nightlyUsers} users: alone ${figures.nightlyAloneSeconds} s, during the backfill ${figures.nightlyDuringBackfillSeconds} s (delay ${figures.nightlyDelaySeconds} s, ratio ${figures.nightlyDelayRatio})`,
        `  peak RSS (MiB)      ${JSON.stringify(figures.peakRssMb)}`,
        `  load average        before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${os.cpus().length} cores)`,
        '',
      ].join('\n'),
    );
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await scheduler?.close();
    await stack.stop();
  }
}
