import { NotFoundException } from '@nestjs/common';
import type { JobProgressReply } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import type { NatsQueryClient } from '../adapters/nats-query.client';
import { JobEventsService, type JobStreamEvent } from './job-events.service';
import { loadLaughterConfig } from './laughter-config';

function progress(status: JobProgressReply['status'], windowsDone: number): JobProgressReply {
  return { jobId: 'j1', localDate: '2026-03-07', trigger: 'today', status, windowsPlanned: 3, windowsDone, laughsFound: windowsDone, updatedAt: '2026-03-07T10:00:00.000Z' };
}

/** jobProgress answering from a script, one answer per poll (the real query is exercised by the API tests). */
function serviceAnswering(answers: Array<JobProgressReply | Error>, env: NodeJS.ProcessEnv = {}) {
  let polls = 0;
  const queries = {
    async ask() {
      const answer = answers[Math.min(polls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as NatsQueryClient;
  const settings = loadLaughterConfig({ GATEWAY_JOB_EVENTS_POLL_INTERVAL: '100ms', GATEWAY_JOB_EVENTS_MAX_STREAMS_PER_USER: '2', ...env });
  return { service: new JobEventsService(queries, settings), polls: () => polls };
}

async function collect(stream: AsyncIterable<JobStreamEvent>): Promise<JobStreamEvent[]> {
  const events: JobStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('JobEventsService', () => {
  it('sends progress only when it changes and ends with done', async () => {
    const { service } = serviceAnswering([progress('planned', 0), progress('running', 1), progress('running', 1), progress('running', 2), progress('done', 3)]);
    const first = await service.current('u1', 'j1');
    const events = await collect(service.events('u1', first, new AbortController().signal));
    expect(events.map((e) => (e.event === 'keepalive' ? 'keepalive' : `${e.event}:${e.data.status}:${e.data.windowsDone}`))).toEqual([
      'progress:planned:0',
      'progress:running:1',
      'progress:running:2',
      'progress:done:3',
      'done:done:3',
    ]);
  });

  it('skips a failed poll and ends when the job vanishes', async () => {
    const { service } = serviceAnswering([progress('running', 0), new Error('busy'), progress('running', 1), new NotFoundException('gone')]);
    const first = await service.current('u1', 'j1');
    const events = await collect(service.events('u1', first, new AbortController().signal));
    expect(events.map((e) => e.event)).toEqual(['progress', 'progress']);
  });

  it('stops polling as soon as the client goes away', async () => {
    const { service, polls } = serviceAnswering([progress('running', 0)]);
    const first = await service.current('u1', 'j1');
    const gone = new AbortController();
    const events: JobStreamEvent[] = [];
    setTimeout(() => gone.abort(), 250);
    for await (const event of service.events('u1', first, gone.signal)) events.push(event);
    const pollsAtEnd = polls();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polls()).toBe(pollsAtEnd);
    expect(events).toHaveLength(1);
  });

  it('ends every open stream when the gateway shuts down', async () => {
    const { service } = serviceAnswering([progress('running', 0)]);
    const first = await service.current('u1', 'j1');
    const started = Date.now();
    setTimeout(() => service.beforeApplicationShutdown(), 200);
    const events = await collect(service.events('u1', first, new AbortController().signal));
    expect(events).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends a stream after the longest allowed duration', async () => {
    const { service } = serviceAnswering([progress('running', 0)], { GATEWAY_JOB_EVENTS_MAX_DURATION: '1s' });
    const first = await service.current('u1', 'j1');
    const started = Date.now();
    await collect(service.events('u1', first, new AbortController().signal));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends a keep-alive while nothing changes', async () => {
    const { service } = serviceAnswering([progress('running', 0)], { GATEWAY_JOB_EVENTS_KEEPALIVE: '1s', GATEWAY_JOB_EVENTS_MAX_DURATION: '2500ms' });
    const first = await service.current('u1', 'j1');
    const events = await collect(service.events('u1', first, new AbortController().signal));
    expect(events[0].event).toBe('progress');
    const keepAlives = events.filter((e) => e.event === 'keepalive').length;
    expect(keepAlives).toBeGreaterThanOrEqual(1);
    expect(keepAlives).toBeLessThanOrEqual(3);
    expect(events).toHaveLength(1 + keepAlives);
  });

  it('bounds the streams one user holds open, per user', () => {
    const { service } = serviceAnswering([progress('running', 0)]);
    const a = service.reserve('u1');
    service.reserve('u1');
    expect(() => service.reserve('u1')).toThrow(/At most 2 progress streams/);
    expect(() => service.reserve('u2')).not.toThrow();
    a.release();
    a.release(); // releasing twice gives back one slot only
    expect(service.openStreams('u1')).toBe(1);
    expect(() => service.reserve('u1')).not.toThrow();
  });
});
