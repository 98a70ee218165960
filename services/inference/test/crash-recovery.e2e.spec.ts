import { messageIds, STREAMS } from '@giggles/contracts';
import { freePort, type ManagedProcess } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_RECORDING, MODEL_PATH, publishSegment, putAudioFile, resultsFor, segmentEvent, startTestNats, waitUntil, type TestNats } from './support/fixtures';
import { countLogs, logLines, startInferenceProcess } from './support/service-process';

/**
 * The service as real processes (src/main.ts): one is killed with SIGKILL in the middle of an
 * analysis; the segment comes back after the ack wait and a second process completes it — once.
 * The second process gets SIGTERM mid-analysis and, within its grace period, finishes first.
 */
describe('inference process crash and restart', () => {
  let nats: TestNats;
  const processes: ManagedProcess[] = [];

  beforeAll(async () => {
    nats = await startTestNats();
  });

  afterAll(async () => {
    for (const p of processes) await p.stop(2_000);
    await nats?.close();
  });

  const start = async (name: string, env: Record<string, string> = {}) => {
    const proc = startInferenceProcess(name, {
      NATS_URL: nats.server.url,
      HEALTH_PORT: String(await freePort()),
      GIGGLES_MODEL: MODEL_PATH,
      INFERENCE_ACK_WAIT: '3s',
      ...env,
    });
    processes.push(proc);
    return proc;
  };
  const started = (proc: ManagedProcess) => () => {
    if (proc.hasExited()) throw new Error(`${proc.name} exited:\n${proc.logs()}`);
    return countLogs(proc, 'segment started') > 0;
  };

  it('kill -9 mid-segment: redelivered after the ack wait and completed exactly once', async () => {
    // 10 minutes of audio: still mid-analysis 300 ms after the start, even at 400× realtime.
    await putAudioFile(nats.audio, 'crash/10min.ogg', EVAL_RECORDING);
    const segment = segmentEvent('crash/10min.ogg');

    const first = await start('inference-1');
    await waitUntil('inference-1 to consume', () => countLogs(first, 'consuming segment events') > 0 || (first.hasExited() && Promise.reject(new Error(first.logs()))), 60_000);
    await publishSegment(nats.js, segment);
    await waitUntil('inference-1 to start the segment', started(first), 30_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(await resultsFor(nats.jsm, segment)).toEqual([]); // it really died mid-segment

    const second = await start('inference-2', { INFERENCE_SHUTDOWN_GRACE: '2m' });
    await waitUntil('inference-2 to pick up the redelivered segment', started(second), 60_000, 20);
    const [restart] = logLines(second).filter((l) => l.msg === 'segment started');
    expect(restart).toMatchObject({ jobId: segment.jobId, delivery: 2 });

    // SIGTERM while it works: it stops pulling, finishes this segment within the grace period, then exits.
    second.child.kill('SIGTERM');
    const exit = await Promise.race([second.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 90_000))]);
    expect(exit).toBe(0);

    const results = await resultsFor(nats.jsm, segment);
    expect(results).toHaveLength(1);
    expect(results[0].headers?.get('Nats-Msg-Id')).toBe(messageIds.segmentResult(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId));
    expect(results[0].data).toMatchObject({ status: 'processed', jobId: segment.jobId });
    expect(results[0].data.decodedSeconds).toBeGreaterThan(599);
    expect(countLogs(second, 'segment result published')).toBe(1);
    expect(countLogs(second, 'segment consumer stopped')).toBe(1);
    expect(countLogs(second, 'inference stopped')).toBe(1);
    expect((await nats.jsm.streams.info(STREAMS.segments.name)).state.messages).toBe(0); // acked before exiting
  });
});
