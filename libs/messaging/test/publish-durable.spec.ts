import { ContractViolation, SUBJECTS } from '@giggles/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopology, publishDurable } from '../src';
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
