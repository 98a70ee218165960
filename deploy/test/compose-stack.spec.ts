/**
 * The real compose stack on a real Docker engine (driver: run-compose-test.sh, which prepared the
 * engine and images and chose the files: docker-compose.yml + docker-compose.prod.yml +
 * compose.test.yml, --profile local-supabase). One user's night goes through the containers;
 * then every container's limits, health checks and restart policy are inspected, a service killed
 * from the host comes back healthy on its own, inference runs with two replicas, and a backup (with the kept audio) is
 * restored over lost data. The driver's trap brings the stack down and stops dockerd.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { QUERIES } from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import { request } from '@giggles/messaging';
import { repoRoot } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, containerIds, inspect, phase, printStackDiagnosis, printTimings, runScript, waitUntil } from './compose-cli';
import { GatewayClient } from './gateway-client';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through npm run test:compose`);
  return value;
}

/** How long the stack may take to become healthy (first start converts the model). */
const UP_TIMEOUT_S = 600;
/** How long one user's processed night (a few hours of recordings) may take end to end. */
const NIGHT_TIMEOUT_MS = 15 * 60_000;
/** How long a killed service may take to be restarted and healthy again. */
const RECOVERY_TIMEOUT_MS = 5 * 60_000;

/** Services the test expects to be running, with whether their compose entry has a health check. */
const EXPECTED: Record<string, { healthcheck: boolean }> = {
  nats: { healthcheck: true },
  persistence: { healthcheck: true },
  ingestion: { healthcheck: true },
  inference: { healthcheck: true },
  scheduler: { healthcheck: true },
  'supabase-db': { healthcheck: true },
  'supabase-rest': { healthcheck: false },
  'supabase-auth': { healthcheck: false },
  'supabase-router': { healthcheck: false },
  proxy: { healthcheck: true },
};

/** The compose files have the gateway (gateway-core adds it): the user goes through its API. */
const hasGateway = (): boolean => compose(['config', '--services']).split('\n').includes('gateway');

describe('docker compose stack', () => {
  const date = env('GIGGLES_TEST_DATE');
  const limitlessKey = env('GIGGLES_TEST_LIMITLESS_KEY');
  const email = `compose-${randomUUID().slice(0, 8)}@example.com`;
  const password = `compose-${randomUUID()}`;
  let nc: NatsConnection;
  let userId = '';
  let gateway: GatewayClient | undefined;

  beforeAll(async () => {
    if (hasGateway()) EXPECTED.gateway = { healthcheck: true };
    await phase('compose up --wait', () => {
      try {
        compose(['up', '-d', '--no-build', '--wait', '--wait-timeout', String(UP_TIMEOUT_S)], { stdio: ['ignore', 'inherit', 'inherit'] });
      } catch (error) {
        printStackDiagnosis();
        throw error;
      }
    });
    nc = await connect({ servers: env('GIGGLES_TEST_NATS_URL') });
    if (EXPECTED.gateway) {
      // Caddy's local CA (GIGGLES_DOMAIN=localhost): the client trusts exactly that root.
      const ca = compose(['exec', '-T', 'proxy', 'cat', '/data/caddy/pki/authorities/local/root.crt']);
      gateway = new GatewayClient(`https://127.0.0.1:${env('GIGGLES_TEST_HTTPS_PORT')}`, ca, 'localhost');
    }
  });

  afterAll(async () => {
    await nc?.drain();
    printTimings();
  });

  it('runs every service with a memory limit, restart policy and (where it has one) a passing health check', () => {
    for (const [service, expected] of Object.entries(EXPECTED)) {
      const ids = containerIds(service);
      expect(ids, `${service} containers`).toHaveLength(1);
      const c = inspect(ids[0]!);
      expect(c.running, `${service} running`).toBe(true);
      expect(c.memoryBytes, `${service} memory limit`).toBeGreaterThan(0);
      expect(c.restartPolicy, `${service} restart policy`).toBe('unless-stopped');
      if (expected.healthcheck) {
        expect(c.healthcheck?.join(' '), `${service} health check`).toBeTruthy();
        expect(c.health, `${service} health`).toBe('healthy');
      }
    }
    for (const service of ['persistence', 'ingestion', 'inference', 'scheduler']) {
      expect(inspect(containerIds(service)[0]!).healthcheck?.join(' ')).toContain('/health/ready');
    }
  });

  it("processes a user's night: signed up, key saved, yesterday processed, laughs and a clip readable", async () => {
    await phase('sign-up + key', async () => {
      if (gateway) {
        // Through the TLS proxy and the gateway's published port, as a browser would.
        const created = await gateway.send('POST', '/api/account', { email, password, timezone: 'UTC' });
        expect(created.status, created.body.toString()).toBe(201);
        userId = created.json<{ user: { id: string } }>().user.id;
        const key = await gateway.send('PUT', '/api/limitless-key', { apiKey: limitlessKey });
        expect(key.status, key.body.toString()).toBe(200);
        expect(key.json<{ state: string }>().state).toBe('active');
        // Keep the audio (issue 10): the night's window must land in the audio-archive volume.
        const archive = await gateway.send('PUT', '/api/archive', { enabled: true });
        expect(archive.status, archive.body.toString()).toBe(200);
        expect(archive.json<{ mode: string; enabled: boolean }>()).toMatchObject({ mode: 'filesystem', enabled: true });
        return;
      }
      // No gateway in the files yet: sign up inside the Auth container, save the key over NATS.
      const signup = compose([
        'exec', '-T', 'supabase-auth', 'node', '-e',
        `fetch('http://127.0.0.1:9999/signup',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({email:${JSON.stringify(email)},password:'compose-test-pw'})}).then(r=>r.text()).then(t=>process.stdout.write(t))`,
      ]);
      userId = (JSON.parse(signup) as { user: { id: string } }).user.id;
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      const profile = await request(nc, QUERIES.ensureUser, { userId, email, timezone: 'UTC' });
      expect(profile.userId).toBe(userId);
      const cipher = KeyCipher.fromHex(env('GIGGLES_ENCRYPTION_KEY'));
      const saved = await request(nc, QUERIES.saveKey, { userId, encryptedKey: cipher.encrypt(limitlessKey, userId) });
      expect(saved.key.state).toBe('active');
    });

    await phase('process a night', async () => {
      // Seen once in CI, seconds after `compose up --wait`: the scheduler's first query answered
      // "internal: list due days failed" (PostgREST still settling after persistence's migrations);
      // the next run passed. An operator would run the command again, and so does the test, at most
      // three times — every failure is printed, and a third one fails the phase.
      for (let attempt = 1; ; attempt++) {
        try {
          execFileSync('node', ['libs/cli/bin/giggles.js', 'process', '--user', email, '--date', date, '--nats', env('GIGGLES_TEST_NATS_URL')], {
            cwd: repoRoot(),
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          process.stdout.write(`[compose-test] giggles process failed (attempt ${attempt}); again in 3 s\n`);
          await new Promise((resolve) => setTimeout(resolve, 3_000));
        }
      }
      const day = await waitUntil(`day ${date} processed`, NIGHT_TIMEOUT_MS, async () => {
        const reply = await request(nc, QUERIES.day, { userId, localDate: date });
        return reply.summary.jobsInFlight === 0 && reply.summary.state !== 'processing' ? reply : undefined;
      });
      process.stdout.write(`[compose-test] day ${date}: ${JSON.stringify(day.summary)}\n`);
      expect(day.summary.state).toBe('done');
      expect(day.summary.audioSeconds).toBeGreaterThan(0);
      expect(day.summary.laughCount).toBeGreaterThan(0);
      // The window's Ogg Opus was kept in the audio-archive volume (persistence archives it right
      // after the day's write, before deleting the transient object).
      const kept = await waitUntil(`day ${date}'s audio kept`, 60_000, async () => {
        const reply = await request(nc, QUERIES.archivedWindows, { userId, localDate: date });
        return reply.windows.length >= day.summary.windowsProcessed ? reply : undefined;
      });
      expect(kept.windows.every((w) => w.bytes > 0)).toBe(true);
    });

    if (gateway) {
      const day = await gateway.send('GET', `/api/days/${date}`);
      expect(day.status).toBe(200);
      expect(day.json<{ summary: { laughCount: number } }>().summary.laughCount).toBeGreaterThan(0);
      const laughs = await gateway.send('GET', `/api/days/${date}/laughs`);
      expect(laughs.status).toBe(200);
      const { total, laughs: list } = laughs.json<{ total: number; laughs: Array<{ clipUrl: string | null }> }>();
      expect(total).toBeGreaterThan(0);
      const clipUrl = list.find((l) => l.clipUrl)?.clipUrl;
      expect(clipUrl).toBeTruthy();
      const clip = await gateway.send('GET', clipUrl!, undefined, { accept: 'audio/wav' });
      expect(clip.status).toBe(200);
      expect(clip.headers['content-type']).toContain('audio/wav');
      expect(clip.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
      // The day's kept audio, as the "Download this day's audio" button fetches it: a zip of Ogg files.
      const audio = await gateway.send('GET', `/api/days/${date}/audio`);
      expect(audio.status).toBe(200);
      expect(audio.headers['content-type']).toContain('application/zip');
      expect(audio.body.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(audio.body.includes(Buffer.from('OggS'))).toBe(true);
      return;
    }
    const laughs = await request(nc, QUERIES.dayLaughs, { userId, localDate: date });
    expect(laughs.total).toBeGreaterThan(0);
    const clip = await request(nc, QUERIES.readClip, { userId, laughId: laughs.laughs[0]!.id });
    expect(clip.size).toBeGreaterThan(44);
    expect(Buffer.from(clip.dataBase64, 'base64').subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('restarts a service whose main process is killed from the host, and it becomes healthy again', async () => {
    await phase('kill -9 ingestion → healthy again', async () => {
      const [id] = containerIds('ingestion');
      const before = inspect(id!);
      expect(before.pid).toBeGreaterThan(0);
      process.kill(before.pid, 'SIGKILL'); // not `docker kill`: that counts as a manual stop
      await waitUntil('ingestion restarted and healthy', RECOVERY_TIMEOUT_MS, () => {
        const now = inspect(id!);
        return now.restartCount > before.restartCount && now.pid !== before.pid && now.health === 'healthy' ? now : undefined;
      });
    });
  });

  it('runs two inference replicas with --scale inference=2', async () => {
    await phase('--scale inference=2', () => {
      compose(['up', '-d', '--no-build', '--no-deps', '--scale', 'inference=2', '--wait', '--wait-timeout', String(UP_TIMEOUT_S), 'inference'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const replicas = containerIds('inference').map(inspect);
      expect(replicas).toHaveLength(2);
      for (const r of replicas) expect(r.health, r.name).toBe('healthy');
      compose(['up', '-d', '--no-build', '--no-deps', '--scale', 'inference=1', '--wait', 'inference'], { stdio: ['ignore', 'inherit', 'inherit'] });
      expect(containerIds('inference')).toHaveLength(1);
    });
  });

  it('restores a backup (database dump, clip volume, kept audio) over lost data', async () => {
    const sql = (query: string) =>
      compose(['exec', '-T', 'supabase-db', 'psql', '-U', 'postgres', '-d', 'giggles', '-At', '-c', query]).trim();
    const clipFiles = () => Number(compose(['exec', '-T', 'persistence', 'sh', '-c', 'find /var/lib/giggles/clips -type f | wc -l']).trim());
    const keptFiles = () => Number(compose(['exec', '-T', 'persistence', 'sh', '-c', 'find /var/lib/giggles/archive -type f | wc -l']).trim());
    const detections = () => Number(sql(`SELECT count(*) FROM laughter_detections WHERE user_id = '${userId}'`));
    const before = { detections: detections(), clips: clipFiles(), kept: keptFiles() };
    expect(before.detections).toBeGreaterThan(0);
    expect(before.clips).toBeGreaterThan(0);
    expect(before.kept).toBeGreaterThan(0);

    const dir = await phase('backup', () => runScript('deploy/backup/backup.sh', [env('GIGGLES_TEST_BACKUP_ROOT')]).trim().split('\n').pop()!);
    // Lose the data: every detection of the user and every clip file.
    sql(`DELETE FROM laughter_detections WHERE user_id = '${userId}'`);
    compose(['exec', '-T', 'persistence', 'sh', '-c', 'find /var/lib/giggles/clips /var/lib/giggles/archive -type f -delete']);
    expect(detections()).toBe(0);
    expect(clipFiles()).toBe(0);
    expect(keptFiles()).toBe(0);

    await phase('restore', () => runScript('deploy/backup/restore.sh', [dir]));
    expect({ detections: detections(), clips: clipFiles(), kept: keptFiles() }).toEqual(before);
    const laughs = await request(nc, QUERIES.dayLaughs, { userId, localDate: date });
    expect(laughs.total).toBeGreaterThan(0);
    const clip = await request(nc, QUERIES.readClip, { userId, laughId: laughs.laughs[0]!.id });
    expect(clip.size).toBeGreaterThan(44);
  });
});
