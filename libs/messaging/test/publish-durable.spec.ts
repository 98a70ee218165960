import { ContractViolation, parseDeadLetter, SUBJECTS } from '@giggles/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeadLetter, ensureTopology, publishDurable } from '../src';
import { connectTestNats, deleteStreams, uniqueNames, type Nats } from './nats-fixture';

describe('publishDurable', () => {
  let nats: Nats;
  const names = uniqueNames();

  beforeAll(async () => {
    nats = await connectTestNats();
    await ensureTopology(nats.jsm, { streams: [{ name: names.workStream, subjects: [`${names.workSubject}.>`], kind: 'work' }], buckets: [] });
  });

  afterAll(async () => {
    await deleteStreams(nats.jsm, [names.workStream]);
    await nats.nc.close();
  });

  it('stores one message for a repeated publish with the same id', async () => {
    const subject = `${names.workSubject}.dup`;
    const first = await publishDurable(nats.js, subject, { n: 1 }, 'same-id');
    const second = await publishDurable(nats.js, subject, { n: 1 }, 'same-id');
    const other = await publishDurable(nats.js, subject, { n: 1 }, 'other-id');
    expect(first).toMatchObject({ duplicate: false, stream: names.workStream });
    expect(second).toEqual({ ...first, duplicate: true });
    expect(other.duplicate).toBe(false);
    const info = await nats.jsm.streams.info(names.workStream, { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(2);
  });

  it('sends JSON with the message id and caller headers', async () => {
    const subject = `${names.workSubject}.headers`;
    const { seq } = await publishDurable(nats.js, subject, { hello: 'world' }, 'hdr-id', { 'x-giggles-user': 'u1' });
    const stored = await nats.jsm.streams.getMessage(names.workStream, { seq });
    expect(stored?.json()).toEqual({ hello: 'world' });
    expect(stored?.header.get('Nats-Msg-Id')).toBe('hdr-id');
    expect(stored?.header.get('x-giggles-user')).toBe('u1');
  });

  it('refuses a payload that breaks its subject contract before publishing', async () => {
    // No stream listens on the production subject here: reaching NATS would fail differently.
    await expect(publishDurable(nats.js, SUBJECTS.dayJob, { jobId: 'x' }, 'bad')).rejects.toBeInstanceOf(ContractViolation);
  });
});

describe('buildDeadLetter', () => {
  it('keeps a huge error reason within the DeadLetter contract', () => {
    const msg = { subject: 'giggles.jobs.day', data: Uint8Array.of(0xff, 0x7b), info: { stream: 'S', deliveryCount: 2, streamSequence: 9 } };
    const letter = buildDeadLetter(msg as never, 'x'.repeat(50_000), new Date(0));
    expect(parseDeadLetter(letter)).toMatchObject({ subject: 'giggles.jobs.day', stream: 'S', deliveries: 2, at: '1970-01-01T00:00:00.000Z' });
    expect(letter.reason.length).toBe(4_000);
    expect(letter.payload).toBe('\uFFFD{');
  });
});
