import { describe, expect, it } from 'vitest';
import { createLogger, isSecretField, redactSecrets } from '../src';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  return {
    lines,
    raw,
    destination: {
      write(chunk: string) {
        raw.push(chunk);
        lines.push(JSON.parse(chunk));
      },
    },
  };
}

const SECRETS = ['sk-limitless-123456', 'Bearer eyJhbGciOi.secret', 'enc-base64-ciphertext==', 'hunter2', 'service-role-jwt', 'f'.repeat(64)];

describe('createLogger', () => {
  it('writes JSON lines with service, level name and ISO time', () => {
    const out = capture();
    createLogger({ service: 'ingestion', destination: out.destination }).info({ userId: 'u1', windows: 12 }, 'planned');
    expect(out.lines[0]).toMatchObject({ level: 'info', service: 'ingestion', userId: 'u1', windows: 12, msg: 'planned' });
    expect(String(out.lines[0]!.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts secret fields at any depth and in child bindings', () => {
    const out = capture();
    const logger = createLogger({ service: 'ingestion', destination: out.destination });
    const fields = {
      apiKey: SECRETS[0],
      request: { headers: { authorization: SECRETS[1], 'x-api-key': SECRETS[0], accept: 'audio/ogg' } },
      user: { id: 'u1', encryptedKey: SECRETS[2] },
      attempts: [{ password: SECRETS[3] }],
      env: { SUPABASE_SERVICE_ROLE_KEY: SECRETS[4], GIGGLES_ENCRYPTION_KEY: SECRETS[5], LOG_LEVEL: 'info' },
    };
    logger.child({ apiKey: SECRETS[0], userId: 'u1' }).child({ auth: { token: SECRETS[1] } }).warn(fields, 'Limitless call failed');

    const text = out.raw.join('');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(out.lines[0]).toMatchObject({
      apiKey: '[redacted]',
      userId: 'u1',
      auth: { token: '[redacted]' },
      request: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'audio/ogg' } },
      user: { id: 'u1', encryptedKey: '[redacted]' },
      attempts: [{ password: '[redacted]' }],
      env: { SUPABASE_SERVICE_ROLE_KEY: '[redacted]', GIGGLES_ENCRYPTION_KEY: '[redacted]', LOG_LEVEL: 'info' },
    });
    // The caller's object is not modified.
    expect(fields.apiKey).toBe(SECRETS[0]);
  });

  it('still serializes errors', () => {
    const out = capture();
    createLogger({ service: 'x', destination: out.destination }).error({ err: new Error('socket hang up') }, 'download failed');
    expect(out.lines[0]!.err).toMatchObject({ type: 'Error', message: 'socket hang up' });
    expect(String((out.lines[0]!.err as { stack: string }).stack)).toContain('socket hang up');
  });

  it('respects the level', () => {
    const out = capture();
    const logger = createLogger({ service: 'x', level: 'warn', destination: out.destination });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines.map((l) => l.msg)).toEqual(['shown']);
  });
});

describe('redactSecrets', () => {
  it('knows secret names and leaves lookalikes alone', () => {
    expect(['apiKey', 'API_KEY', 'x-api-key', 'Authorization', 'encryptedKey', 'password', 'SUPABASE_SERVICE_ROLE_KEY', 'supabaseServiceRoleKey', 'refreshToken'].every(isSecretField)).toBe(true);
    expect(['keyStatus', 'monkey', 'jobId', 'keys', 'tokenCount'].some(isSecretField)).toBe(false);
  });

  it('survives cycles and keeps non-plain objects as they are', () => {
    const cyclic: Record<string, unknown> = { token: 't' };
    cyclic.self = cyclic;
    const at = new Date(0);
    expect(redactSecrets({ cyclic, at })).toEqual({ cyclic: { token: '[redacted]', self: '[circular]' }, at });
  });
});
