import { messageIds, parseDayJob, parseDeadLetter, type DayJob, type DeadLetter } from '@giggles/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopology, jsonDecoder, PermanentError, publishDurable, runConsumer, TransientError, type ConsumerHandle, type RunConsumerOptions } from '../src';
import { connectTestNats, deleteStreams, eventually, recordingLogger, uniqueNames, type Nats, type TestNames } from './nats-fixture';

const USER_ID = '8b0e7d5e-5a4f-4a2e-9d3c-1f2e3d4c5b6a';

function dayJob(n: number): DayJob {
  const startMs = 1_714_514_400_000 + n * 86_400_000;
  return {
    jobId: messageIds.dayJob(USER_ID, `2024-05-0${n + 1}`, 'nightly', startMs, startMs + 86_400_000),
    userId: USER_ID,
    localDate: `2024-05-0${n + 1}`,
    timezone: 'Europe/Berlin',
    startMs,
    endMs: startMs + 86_400_000,
    trigger: 'nightly',
    requestedAt: '2024-05-02T01:00:00.000Z',
  };
}

describe('runConsumer', () => {
  let nats: Nats;
  let names: TestNames;
  let running: ConsumerHandle[] = [];

  beforeAll(async () => {
    nats = await connectTestNats();
  });

  afterAll(async () => {
    await nats.nc.close();
  });

  afterEach(async () => {
    await Promise.all(running.map((handle) => handle.stop()));
    running = [];
    await deleteStreams(nats.jsm, [names.workStream, names.deadStream]);
  });

  async function setUp(): Promise<void> {
    names = uniqueNames();
    await ensureTopology(nats.jsm, {
      streams: [
        { name: names.workStream, subjects: [names.workSubject], kind: 'work' },
        { name: names.deadStream, subjects: [`${names.deadPrefix}>`], kind: 'dead-letter' },
      ],
      buckets: [],
    });
  }

  async function start(options: Partial<RunConsumerOptions<DayJob>> & Pick<RunConsumerOptions<DayJob>, 'handle'>): Promise<ConsumerHandle> {
    const handle = await runConsumer<DayJob>({
      js: nats.js,
      stream: names.workStream,
      durable: 'test-worker',
      filterSubject: names.workSubject,
      decode: jsonDecoder(parseDayJob),
      backoffMs: [100, 200],
      deadLetterPrefix: names.deadPrefix,
      logger: recordingLogger(),
      ...options,
    });
    running.push(handle);
    return handle;
  }

  const publishJob = (job: DayJob) => publishDurable(nats.js, names.workSubject, job, job.jobId);
  const publishRaw = (body: string, id: string) => nats.js.publish(names.workSubject, body, { msgID: id });

  async function workMessages(): Promise<number> {
    return (await nats.jsm.streams.info(names.workStream)).state.messages;
  }

  async function deadLetters(): Promise<DeadLetter[]> {
    const count = (await nats.jsm.streams.info(names.deadStream)).state.messages;
    const letters: DeadLetter[] = [];
    for (let seq = 1; seq <= count; seq++) {
      const stored = await nats.jsm.streams.getMessage(names.deadStream, { seq });
      if (stored) letters.push(parseDeadLetter(stored.json()));
    }
    return letters;
  }

  it('acks only after the handler resolves', async () => {
    await setUp();
    const seen: DayJob[] = [];
    const pendingDuringHandler: number[] = [];
    const handle = await start({
      handle: async (job) => {
        const info = await nats.jsm.consumers.info(names.workStream, 'test-worker');
        pendingDuringHandler.push(info.num_ack_pending);
        seen.push(job);
      },
    });
    await publishJob(dayJob(0));
    await eventually(() => handle.health().handled === 1);
    expect(seen).toEqual([dayJob(0)]);
    expect(pendingDuringHandler).toEqual([1]);
    expect(await workMessages()).toBe(0);
    expect((await nats.jsm.consumers.info(names.workStream, 'test-worker')).num_ack_pending).toBe(0);
  });

  it('naks a transient failure with backoff and succeeds on redelivery', async () => {
    await setUp();
    const attempts: { delivery: number; at: number }[] = [];
    const logger = recordingLogger();
    const handle = await start({
      logger,
      handle: async (_job, ctx) => {
        attempts.push({ delivery: ctx.deliveryCount, at: Date.now() });
        if (ctx.deliveryCount < 3) throw new TransientError('Limitless said 503');
      },
    });
    await publishJob(dayJob(0));
    await eventually(() => handle.health().handled === 1);
    expect(attempts.map((a) => a.delivery)).toEqual([1, 2, 3]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(90);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(190);
    expect(logger.lines.filter((l) => l.message === 'handler failed; will retry')).toHaveLength(2);
    expect(await deadLetters()).toEqual([]);
    expect(await workMessages()).toBe(0);
  });

  it('dead-letters after maxDeliver failed attempts and tells onDeadLetter', async () => {
    await setUp();
    let attempts = 0;
    const reported: { payload: DayJob | undefined; reason: string }[] = [];
    const handle = await start({
      maxDeliver: 3,
      handle: async () => {
        attempts++;
        throw new Error('database unavailable');
      },
      onDeadLetter: (payload, reason) => void reported.push({ payload, reason }),
    });
    await publishJob(dayJob(1));
    await eventually(() => handle.health().deadLettered === 1);
    expect(attempts).toBe(3);
    const [letter] = await deadLetters();
    expect(letter).toMatchObject({
      subject: names.workSubject,
      stream: names.workStream,
      deliveries: 3,
      reason: 'failed 3 of 3 deliveries; last error: database unavailable',
    });
    expect(JSON.parse(letter!.payload)).toEqual(dayJob(1));
    expect(reported).toEqual([{ payload: dayJob(1), reason: letter!.reason }]);
    await eventually(async () => (await workMessages()) === 0);
  });

  it('dead-letters malformed and invalid messages at once and keeps consuming', async () => {
    await setUp();
    const seen: string[] = [];
    const reported: (DayJob | undefined)[] = [];
    const handle = await start({
      handle: async (job) => void seen.push(job.localDate),
      onDeadLetter: (payload) => void reported.push(payload),
    });
    await publishRaw('{"jobId": ', 'bad-json');
    await publishRaw(JSON.stringify({ ...dayJob(0), userId: 'nobody', extra: 1 }), 'bad-payload');
    await publishJob(dayJob(2));
    await eventually(() => handle.health().handled === 1 && handle.health().deadLettered === 2);
    expect(seen).toEqual(['2024-05-03']);
    const letters = await deadLetters();
    expect(letters.map((l) => l.deliveries)).toEqual([1, 1]);
    expect(letters[0]!.reason).toMatch(/^invalid payload: .* body is not JSON/);
    expect(letters[0]!.payload).toBe('{"jobId": ');
    expect(letters[1]!.reason).toMatch(/^invalid payload: DayJob violates its contract: .*userId must be a UUID; extra is not an allowed field|extra is not an allowed field.*userId must be a UUID/);
    expect(reported).toEqual([undefined, undefined]);
    expect(handle.health().running).toBe(true);
  });

  it('dead-letters a PermanentError on the first delivery', async () => {
    await setUp();
    let attempts = 0;
    const handle = await start({
      handle: async () => {
        attempts++;
        throw new PermanentError('user deleted');
      },
    });
    await publishJob(dayJob(0));
    await eventually(() => handle.health().deadLettered === 1);
    expect(attempts).toBe(1);
    expect((await deadLetters())[0]).toMatchObject({ deliveries: 1, reason: 'permanent failure: user deleted' });
  });

  it('keeps a long handler alive past ack wait with working()', async () => {
    await setUp();
    const deliveries: number[] = [];
    // A second idle worker would receive the message if its ack timer ran out.
    const handle = await start({
      concurrency: 2,
      ackWaitMs: 1_000,
      workingIntervalMs: 250,
      handle: async (_job, ctx) => {
        deliveries.push(ctx.deliveryCount);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      },
    });
    await publishJob(dayJob(0));
    await eventually(() => handle.health().handled === 1);
    // Give a stray redelivery time to show up if working() had not held the message.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(deliveries).toEqual([1]);
    expect(handle.health().handled).toBe(1);
  });

  it('dead-letters without running the handler when an attempt never finished', async () => {
    await setUp();
    let attempts = 0;
    // The first delivery goes to a "crashed" worker that neither acks nor naks.
    const handle = await start({ maxDeliver: 1, ackWaitMs: 500, handle: async () => void attempts++ });
    await handle.stop();
    await publishJob(dayJob(0));
    const crashed = await nats.js.consumers.get(names.workStream, 'test-worker');
    const lost = await crashed.next({ expires: 2_000 });
    expect(lost?.info.deliveryCount).toBe(1);
    const restarted = await start({ maxDeliver: 1, ackWaitMs: 500, handle: async () => void attempts++ });
    await eventually(() => restarted.health().deadLettered === 1);
    expect(attempts).toBe(0);
    expect((await deadLetters())[0]).toMatchObject({ deliveries: 2, reason: expect.stringMatching(/^gave up after 1 deliveries; the last attempt did not finish/) });
  });

  it('keeps the message when there is no dead-letter stream to take it', async () => {
    await setUp();
    const logger = recordingLogger();
    const handle = await start({ logger, deadLetterPrefix: `${names.subjectPrefix}nowhere.`, handle: async () => undefined });
    await publishRaw('not json', 'orphan');
    await eventually(() => logger.lines.some((l) => l.message === 'dead letter not stored; message kept'));
    expect(handle.health().deadLettered).toBe(0);
    expect(await workMessages()).toBe(1);
  });

  it('stops gracefully: finishes the in-flight message, then pulls nothing more', async () => {
    await setUp();
    const finished: string[] = [];
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handle = await start({
      handle: async (job) => {
        release();
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished.push(job.localDate);
      },
    });
    await publishJob(dayJob(0));
    await started;
    await handle.stop();
    expect(finished).toEqual(['2024-05-01']);
    expect(handle.health()).toMatchObject({ running: false, inFlight: 0, handled: 1 });
    await publishJob(dayJob(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toEqual(['2024-05-01']);
    expect(await workMessages()).toBe(1);
  });

  it('handles messages concurrently when asked to', async () => {
    await setUp();
    let active = 0;
    let peak = 0;
    const handle = await start({
      concurrency: 3,
      handle: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 200));
        active--;
      },
    });
    await Promise.all([0, 1, 2].map((n) => publishJob(dayJob(n))));
    await eventually(() => handle.health().handled === 3);
    expect(peak).toBe(3);
  });
});
