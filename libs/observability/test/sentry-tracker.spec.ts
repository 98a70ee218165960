/** The optional error tracker against a local HTTP receiver speaking Sentry's envelope endpoint. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, errorTrackerFromEnv, parseSentryDsn, SENTRY_MAX_EVENTS_PER_MINUTE, SentryEnvelopeTracker } from '../src';

describe('SentryEnvelopeTracker', () => {
  const received: Array<{ url: string; auth: string; type: string; lines: unknown[] }> = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', auth: String(req.headers['x-sentry-auth']), type: String(req.headers['content-type']), lines: body.split('\n').map((l) => JSON.parse(l) as unknown) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"x"}');
    });
  });
  let host = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => receiver.close(resolve)));

  it('off by default; a malformed SENTRY_DSN is refused with the expected form', () => {
    expect(errorTrackerFromEnv({})).toBeUndefined();
    expect(() => errorTrackerFromEnv({ SENTRY_DSN: 'not a dsn' })).toThrow('SENTRY_DSN is not a Sentry DSN (https://<public key>@<host>/<project id>)');
    expect(() => parseSentryDsn('https://example.org/12')).toThrow(/not a Sentry DSN/);
    expect(parseSentryDsn('https://abc@o1.ingest.sentry.io/sub/42').envelopeUrl).toBe('https://o1.ingest.sentry.io/sub/api/42/envelope/');
  });

  it('an error logged at error level arrives once as an envelope event with the service and trace, nothing else', async () => {
    received.length = 0;
    const tracker = new SentryEnvelopeTracker(`http://publickey@${host}/7`, { release: '1.2.3' });
    const logger = createLogger({ service: 'ingestion', errorTracker: tracker, destination: new Writable({ write: (_c, _e, done) => done() }) });
    logger.warn({ err: new Error('a warning is not sent') }, 'warned');
    logger.error({ err: new TypeError('cannot read the window'), apiKey: 'sk-secret-value' }, 'window failed');
    await tracker.flush();
    expect(received).toHaveLength(1);
    const [{ url, auth, type, lines }] = received;
    expect(url).toBe('/api/7/envelope/');
    expect(type).toBe('application/x-sentry-envelope');
    expect(auth).toContain('sentry_key=publickey');
    expect(lines[1]).toEqual({ type: 'event' });
    expect(lines[2]).toMatchObject({
      level: 'error',
      platform: 'node',
      release: '1.2.3',
      tags: { service: 'ingestion' },
      exception: { values: [{ type: 'TypeError', value: 'cannot read the window' }] },
    });
    expect(JSON.stringify(lines)).not.toContain('sk-secret-value');
  });

  it('at most SENTRY_MAX_EVENTS_PER_MINUTE reports a minute; a tracker that cannot be reached never throws', async () => {
    received.length = 0;
    let now = 0;
    const tracker = new SentryEnvelopeTracker(`http://k@${host}/7`, { now: () => now });
    for (let i = 0; i < SENTRY_MAX_EVENTS_PER_MINUTE + 5; i++) tracker.capture(new Error(`e${i}`), { service: 's' });
    await tracker.flush();
    expect(received).toHaveLength(SENTRY_MAX_EVENTS_PER_MINUTE);
    now += 60_000;
    tracker.capture(new Error('next minute'), { service: 's' });
    await tracker.flush();
    expect(received).toHaveLength(SENTRY_MAX_EVENTS_PER_MINUTE + 1);
    const unreachable = new SentryEnvelopeTracker('http://k@127.0.0.1:9/7');
    unreachable.capture(new Error('lost'), { service: 's' });
    await expect(unreachable.flush()).resolves.toBeUndefined();
  });
});
