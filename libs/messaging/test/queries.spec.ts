import { ContractViolation, QUERIES, type UserKeyRequest } from '@giggles/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError, request, serveQueries, type QueryServer } from '../src';
import { connectTestNats, recordingLogger, uniqueNames, type Nats } from './nats-fixture';

const USER_ID = '8b0e7d5e-5a4f-4a2e-9d3c-1f2e3d4c5b6a';
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

describe('request/reply queries', () => {
  let nats: Nats;
  let servers: QueryServer[] = [];
  const { subjectPrefix } = uniqueNames();
  const logger = recordingLogger();
  const answeredBy: string[] = [];

  beforeAll(async () => {
    nats = await connectTestNats();
    // Two instances in one queue group: each request is answered exactly once.
    for (const instance of ['a', 'b']) {
      servers.push(
        serveQueries(
          nats.nc,
          {
            [QUERIES.userKey]: async ({ userId }: UserKeyRequest) => {
              answeredBy.push(instance);
              if (userId === UNKNOWN_USER) throw QueryError.notFound(`no key for ${userId}`);
              return { encryptedKey: 'bm9uY2UxMjM0NTY3OGNpcGhlcg==', status: 'active' as const };
            },
            [QUERIES.markKeyInvalid]: async () => {
              throw new Error('database is down');
            },
            // Deliberately breaks the reply contract.
            [QUERIES.windowsDone]: async () => ({ windows: [{ startMs: 5, endMs: 1, status: 'processed' as const }] }),
          },
          { subjectPrefix, logger },
        ),
      );
    }
    await nats.nc.flush();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
    await nats.nc.close();
  });

  it('returns validated data, one answer per request across the queue group', async () => {
    answeredBy.length = 0;
    for (let i = 0; i < 6; i++) {
      const reply = await request(nats.nc, QUERIES.userKey, { userId: USER_ID }, { subjectPrefix });
      expect(reply).toEqual({ encryptedKey: 'bm9uY2UxMjM0NTY3OGNpcGhlcg==', status: 'active' });
    }
    expect(answeredBy).toHaveLength(6);
  });

  it('passes a handler QueryError code through to the caller', async () => {
    const failure = await request(nats.nc, QUERIES.userKey, { userId: UNKNOWN_USER }, { subjectPrefix }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QueryError);
    expect(failure).toMatchObject({ code: 'not_found', message: `no key for ${UNKNOWN_USER}` });
  });

  it('answers invalid_request to a request that breaks its contract', async () => {
    // Bypass the client-side check to see what the server says.
    const raw = await nats.nc.request(`${subjectPrefix}${QUERIES.userKey}`, JSON.stringify({ userId: 'me', admin: true }), { timeout: 2_000 });
    const reply = raw.json<{ ok: boolean; error: { code: string; message: string } }>();
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('invalid_request');
    expect(reply.error.message).toContain('userId must be a UUID');
    expect(reply.error.message).toContain('admin is not an allowed field');
  });

  it('refuses to send an invalid request', async () => {
    await expect(request(nats.nc, QUERIES.userKey, { userId: 'me' }, { subjectPrefix })).rejects.toBeInstanceOf(ContractViolation);
  });

  it('reports a failing handler as internal', async () => {
    await expect(request(nats.nc, QUERIES.markKeyInvalid, { userId: USER_ID, reason: 'HTTP 401' }, { subjectPrefix })).rejects.toMatchObject({
      code: 'internal',
      message: 'database is down',
    });
    expect(logger.lines.some((l) => l.message === 'query handler failed')).toBe(true);
  });

  it('never sends a reply that breaks its contract', async () => {
    const failure = await request(nats.nc, QUERIES.windowsDone, { userId: USER_ID, startMs: 0, endMs: 10 }, { subjectPrefix }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'internal' });
    expect((failure as QueryError).message).toContain('windows.0.endMs must be greater than startMs');
  });

  it('rejects a malformed reply on the client side', async () => {
    const rogueSubject = `${subjectPrefix}rogue.`;
    const rogue = nats.nc.subscribe(`${rogueSubject}${QUERIES.jobStatus}`, {
      callback: (_err, msg) => void msg.respond(JSON.stringify({ ok: true, data: { jobId: 'j' } })),
    });
    await nats.nc.flush();
    await expect(request(nats.nc, QUERIES.jobStatus, { jobId: 'j' }, { subjectPrefix: rogueSubject })).rejects.toThrow(/data: userId is missing/);
    rogue.unsubscribe();
  });

  it('says so when nobody answers', async () => {
    await expect(request(nats.nc, QUERIES.dueDays, { userId: USER_ID, from: '2024-05-01', to: '2024-05-02' }, { subjectPrefix, timeoutMs: 500 })).rejects.toMatchObject({
      code: 'no_responders',
    });
  });
});
