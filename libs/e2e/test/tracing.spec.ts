/**
 * One trace per user-night: the real scheduler, ingestion, inference and persistence processes
 * export spans over OTLP/HTTP to a receiver in this test; the scheduler's nightly tick starts the
 * trace and every later service continues it through the trace context in the NATS headers.
 * Also: every metric the alert rules and dashboards rely on is on each service's /metrics after
 * the night, and no span carries the user's API key or e-mail.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, localDateOf, startService, startStack, type ServiceProcess, type Stack, type StackUser } from '@giggles/e2e';
import { freePort, repoRoot } from '@giggles/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog } from './support/settings';

const TIMEZONE = 'UTC';
/** Three days ago: with a 48 h settle delay it is the only due day in the catch-up window, whatever the hour. */
const LOCAL_DATE = addDays(localDateOf(Date.now(), TIMEZONE), -3);

describe('tracing and metrics across the services', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;
  let scheduler: ServiceProcess;
  let user: StackUser;
  let setupCompleted = false;
  const metricsText: Record<string, string> = {};

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '500' };
    stack = await startStack({
      users: [{ timezone: TIMEZONE, localDate: LOCAL_DATE, hours: 0.34 }],
      recordings: [join(EVAL_DIR, 'long_d1.ogg'), join(EVAL_DIR, 'long_d2.ogg')],
      env: { ...SUITE_ENV, INGESTION_WINDOW_MINUTES: '120', ...otel },
      log: suiteLog,
    });
    user = stack.users[0];
    // one 503 first: a Limitless retry shows up in the metrics (and on no span as a secret)
    stack.simulator.queueFaults([{ kind: 'status', status: 503 }], user.apiKey);
    scheduler = startService({
      name: 'scheduler',
      repoRoot: repoRoot(__dirname),
      mode: process.env.E2E_SERVICE_MODE === 'dist' ? 'dist' : 'source',
      healthPort: await freePort(),
      logFile: join(stack.logDir, 'scheduler.log'),
      env: {
        NATS_URL: stack.harness.natsUrl!,
        LOG_LEVEL: 'info',
        MEMORY_LIMIT_MB: '160',
        SCHEDULER_CATCH_UP_DAYS: '3',
        SCHEDULER_SETTLE_DELAY: '48h',
        ...otel,
      },
    });
    await scheduler.waitReady(120_000);
    await waitFor('the nightly job to finish', 300_000, async () => {
      stack.assertServicesAlive();
      if (scheduler.crashed()) throw new Error(`scheduler exited: ${scheduler.logs().slice(-3000)}`);
      const rows = await stack.query<{ status: string }>('SELECT status FROM public.jobs WHERE user_id = $1', [user.userId]);
      return rows.length > 0 && rows.every((r) => ['done', 'failed', 'key_invalid'].includes(r.status));
    });
    await stack.waitForDrain({ timeoutMs: 60_000 });
    for (const service of [scheduler, stack.services.ingestion, stack.services.inference, stack.services.persistence]) {
      metricsText[service.name] = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
    }
    setupCompleted = true;
  }, 600_000);

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    // kept with the logs when a test failed: what the receiver got
    if (stack && receiver) writeFileSync(join(stack.logDir, 'spans.json'), JSON.stringify(receiver.spans(), null, 1));
    await scheduler?.stop();
    await stack?.stop();
    await receiver?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
  });

  /** Spans of the trace the nightly dispatch of the user's day started. */
  async function nightTrace(): Promise<ReceivedSpan[]> {
    let spans: ReceivedSpan[] = [];
    await waitFor('spans from four services in one trace', 30_000, async () => {
      const dispatch = receiver.spans().find((s) => s.name === 'giggles.day-job dispatch' && s.attributes['giggles.user_id'] === user.userId);
      if (!dispatch) return false;
      spans = receiver.spans().filter((s) => s.traceId === dispatch.traceId);
      return new Set(spans.map((s) => s.service)).size >= 4 && spans.some((s) => s.service === 'persistence' && s.name.startsWith('giggles.results.segment'));
    });
    return spans;
  }

  it('the job was done and the day stored', async () => {
    const rows = await stack.query<{ status: string; local_date: string }>("SELECT status, local_date::text FROM public.jobs WHERE user_id = $1", [user.userId]);
    expect(rows).toEqual([{ status: 'done', local_date: LOCAL_DATE }]);
  });

  it('spans from scheduler, ingestion, inference and persistence share one trace id, each naming the user id', async () => {
    const spans = await nightTrace();
    const services = new Set(spans.map((s) => s.service));
    expect([...services].sort()).toEqual(['inference', 'ingestion', 'persistence', 'scheduler']);
    const root = spans.find((s) => s.name === 'giggles.day-job dispatch')!;
    expect(root.parentSpanId).toBe('');
    expect(root.service).toBe('scheduler');
    // the work each service did for this user carries the user id
    for (const [service, name] of [
      ['scheduler', 'giggles.jobs.day publish'],
      ['ingestion', 'giggles.jobs.day process'],
      ['inference', 'giggles.segments.ready process'],
      ['persistence', 'giggles.results.segment process'],
    ]) {
      const span = spans.find((s) => s.service === service && s.name === name);
      expect(span, `${service} ${name}`).toBeDefined();
      expect(span!.attributes['giggles.user_id'], `${service} ${name}`).toBe(user.userId);
    }
    // every span but the root has its parent in the same trace: nothing started a trace of its own midway
    const ids = new Set(spans.map((s) => s.spanId));
    const orphans = spans.filter((s) => s !== root && !ids.has(s.parentSpanId));
    expect(orphans.map((s) => `${s.service} ${s.name}`)).toEqual([]);
  });

  it('no span anywhere carries the API key or the e-mail', async () => {
    await nightTrace();
    const everything = receiver.rawBodies().join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(user.apiKey);
    expect(everything).not.toContain(user.email);
    for (const span of receiver.spans()) {
      for (const value of Object.values(span.attributes)) {
        expect(String(value)).not.toContain(user.apiKey);
        expect(String(value)).not.toContain(user.email);
      }
    }
  });

  it('every named metric is on /metrics after the night', () => {
    const has = (service: string, pattern: RegExp) => expect(metricsText[service], `${service}: ${pattern}`).toMatch(pattern);
    const positive = (service: string, metric: string) => {
      const match = new RegExp(`^${metric} ([0-9.e+]+)$`, 'm').exec(metricsText[service]);
      expect(match, `${service}: ${metric}`).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThan(0);
    };
    for (const service of ['scheduler', 'ingestion', 'inference', 'persistence']) {
      has(service, new RegExp(`^process_resident_memory_bytes\\{service="${service}"\\} \\d+`, 'm'));
      has(service, new RegExp(`^nodejs_heap_size_used_bytes\\{service="${service}"\\} \\d+`, 'm'));
      has(service, new RegExp(`^nodejs_eventloop_lag_seconds\\{service="${service}"\\} [0-9.e-]+`, 'm'));
      has(service, new RegExp(`^giggles_memory_limit_bytes\\{service="${service}"\\} \\d+`, 'm'));
    }
    // jobs by outcome, Limitless calls by status, retries, gaps
    positive('ingestion', 'giggles_ingestion_jobs_total\\{outcome="done",service="ingestion"\\}');
    positive('ingestion', 'giggles_limitless_requests_total\\{status="200",service="ingestion"\\}');
    positive('ingestion', 'giggles_limitless_requests_total\\{status="503",service="ingestion"\\}');
    positive('ingestion', 'giggles_limitless_retries_total\\{reason="transient",service="ingestion"\\}');
    has('ingestion', /^giggles_ingestion_windows_total\{outcome="gap",service="ingestion"\} 0$/m);
    // audio hours processed, realtime factor, laughs found
    positive('inference', 'giggles_inference_audio_seconds_total\\{service="inference"\\}');
    positive('inference', 'giggles_inference_realtime_factor_count\\{service="inference"\\}');
    has('inference', /^giggles_inference_events_total\{service="inference"\} \d+$/m);
    positive('persistence', 'giggles_persistence_detections_inserted_total\\{service="persistence"\\}');
    // dead letters, the nightly run's clock
    has('scheduler', /^giggles_dead_letters\{service="scheduler"\} 0$/m);
    has('persistence', /^giggles_persistence_dead_letter_records_total\{outcome="recorded",service="persistence"\} 0$/m);
    positive('scheduler', 'giggles_scheduler_last_tick_timestamp_seconds\\{service="scheduler"\\}');
    positive('scheduler', 'giggles_scheduler_jobs_published_total\\{trigger="nightly",service="scheduler"\\}');
  });
});

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
