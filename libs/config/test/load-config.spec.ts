import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigError,
  configHelp,
  defineConfig,
  describeConfig,
  ENCRYPTION_CONFIG,
  HEALTH_CONFIG,
  loadConfig,
  LOGGING_CONFIG,
  NATS_CONFIG,
  OTEL_CONFIG,
  parseDuration,
  SUPABASE_CONFIG,
} from '../src';

const KEY = 'a'.repeat(32) + 'B'.repeat(32);
const SERVICE_KEY = 'eyJhbGciOiJIUzI1NiJ9.service-role.signature';

const SERVICE_SCHEMA = defineConfig({
  ...NATS_CONFIG,
  ...SUPABASE_CONFIG,
  ...ENCRYPTION_CONFIG,
  ...LOGGING_CONFIG,
  ...HEALTH_CONFIG,
  ...OTEL_CONFIG,
  workers: { name: 'WORKERS', type: 'int', min: 1, max: 8, default: 1, description: 'parallel segments' },
  threshold: { name: 'THRESHOLD', type: 'float', min: 0, max: 1, default: 0.5, description: 'laughter threshold' },
  dryRun: { name: 'DRY_RUN', type: 'bool', default: false, description: 'do not write' },
  pullTimeout: { name: 'PULL_TIMEOUT', type: 'duration', min: 1_000, max: 600_000, default: 30_000, description: 'pull wait' },
  region: { name: 'REGION', type: 'string', pattern: /^[a-z]{2}-[a-z]+$/, optional: true, description: 'deployment region' },
});

const VALID_ENV = {
  SUPABASE_URL: 'https://abc.supabase.co',
  SUPABASE_SERVICE_ROLE_KEY: SERVICE_KEY,
  GIGGLES_ENCRYPTION_KEY: KEY,
  UNRELATED: 'ignored',
};

describe('loadConfig', () => {
  it('applies defaults and types every value', () => {
    const config = loadConfig(SERVICE_SCHEMA, VALID_ENV);
    expect(config).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      supabaseUrl: 'https://abc.supabase.co',
      supabaseServiceRoleKey: SERVICE_KEY,
      encryptionKey: KEY,
      logLevel: 'info',
      memoryLimitMb: 512,
      otelEndpoint: undefined,
      workers: 1,
      threshold: 0.5,
      dryRun: false,
      pullTimeout: 30_000,
      region: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expectTypeOf(config.logLevel).toEqualTypeOf<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'>();
    expectTypeOf(config.memoryLimitMb).toEqualTypeOf<number>();
    expectTypeOf(config.dryRun).toEqualTypeOf<boolean>();
    expectTypeOf(config.otelEndpoint).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.supabaseUrl).toEqualTypeOf<string>();
  });

  it('parses every type from the environment', () => {
    const config = loadConfig(SERVICE_SCHEMA, {
      ...VALID_ENV,
      NATS_URL: 'nats://n1:4222, nats://n2:4222',
      LOG_LEVEL: 'debug',
      MEMORY_LIMIT_MB: '256',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      WORKERS: '+4',
      THRESHOLD: '.25',
      DRY_RUN: 'Yes',
      PULL_TIMEOUT: '1m30s',
      REGION: 'eu-central',
    });
    expect(config).toMatchObject({
      natsUrl: 'nats://n1:4222, nats://n2:4222',
      logLevel: 'debug',
      memoryLimitMb: 256,
      otelEndpoint: 'http://otel:4318',
      workers: 4,
      threshold: 0.25,
      dryRun: true,
      pullTimeout: 90_000,
      region: 'eu-central',
    });
  });

  it('treats empty values as unset, as Compose passes them for ${VAR:-}', () => {
    const config = loadConfig(SERVICE_SCHEMA, { ...VALID_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '', LOG_LEVEL: '  ' });
    expect(config.otelEndpoint).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('lists every bad variable in one error, one per line, hiding secrets', () => {
    const env = {
      NATS_URL: 'localhost:4222',
      SUPABASE_URL: 'ftp://abc.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'short-secret',
      GIGGLES_ENCRYPTION_KEY: 'not-hex-secret-value',
      LOG_LEVEL: 'verbose',
      MEMORY_LIMIT_MB: '12.5',
      WORKERS: '9',
      THRESHOLD: 'high',
      DRY_RUN: 'maybe',
      PULL_TIMEOUT: '10 minutes',
      REGION: 'Europe',
    };
    let error: unknown;
    try {
      loadConfig(SERVICE_SCHEMA, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.name)).toEqual([
      'NATS_URL',
      'SUPABASE_URL',
      'SUPABASE_SERVICE_ROLE_KEY',
      'GIGGLES_ENCRYPTION_KEY',
      'LOG_LEVEL',
      'MEMORY_LIMIT_MB',
      'WORKERS',
      'THRESHOLD',
      'DRY_RUN',
      'PULL_TIMEOUT',
      'REGION',
    ]);
    const lines = message.split('\n');
    expect(lines[0]).toBe('Invalid configuration: 11 problems');
    expect(lines.slice(1)).toEqual([
      '  - NATS_URL: must be a URL (nats://, tls://, ws://, wss://) (got "localhost:4222")',
      '  - SUPABASE_URL: must be a URL (http://, https://) (got "ftp://abc.supabase.co")',
      '  - SUPABASE_SERVICE_ROLE_KEY: must be at least 20 characters (value hidden: secret)',
      '  - GIGGLES_ENCRYPTION_KEY: must be exactly 64 hex characters (a 256-bit key) (value hidden: secret)',
      '  - LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
      '  - MEMORY_LIMIT_MB: must be a whole number (got "12.5")',
      '  - WORKERS: must be at most 8 (got "9")',
      '  - THRESHOLD: must be a number (got "high")',
      '  - DRY_RUN: must be true or false (also 1/0, yes/no, on/off) (got "maybe")',
      '  - PULL_TIMEOUT: must be a duration such as 500ms, 30s, 5m, 2h, 1d, 1h30m, or plain milliseconds (got "10 minutes")',
      '  - REGION: must match /^[a-z]{2}-[a-z]+$/ (got "Europe")',
    ]);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('not-hex-secret-value');
  });

  it('names missing required variables with what they are for', () => {
    expect(() => loadConfig(SERVICE_SCHEMA, {})).toThrow(
      new ConfigError([
        { name: 'SUPABASE_URL', problem: 'is required — URL of the Supabase project (or the bundled local stack)' },
        { name: 'SUPABASE_SERVICE_ROLE_KEY', problem: 'is required — Supabase service-role key (bypasses row-level security; server side only)' },
        {
          name: 'GIGGLES_ENCRYPTION_KEY',
          problem: 'is required — AES-256-GCM key for stored Limitless API keys, 64 hex characters (same as the original Giggles app)',
        },
      ]).message,
    );
  });

  it('checks bounds on durations and values below the minimum', () => {
    expect(() => loadConfig(SERVICE_SCHEMA, { ...VALID_ENV, PULL_TIMEOUT: '500ms', WORKERS: '0' })).toThrow(
      /WORKERS: must be at least 1 \(got "0"\)\n {2}- PULL_TIMEOUT: must be at least 1000 ms \(got "500ms"\)/,
    );
  });
});

describe('defineConfig', () => {
  it('rejects a bad default and a variable declared twice', () => {
    expect(() => defineConfig({ n: { name: 'N', type: 'int', min: 1, default: 0, description: 'n' } })).toThrow('default for N (n) must be at least 1');
    expect(() => defineConfig({ e: { name: 'E', type: 'url', default: 'nope', description: 'e' } })).toThrow('default for E (e) must be a URL');
    expect(() =>
      defineConfig({ a: { name: 'X', type: 'string', description: 'a' }, b: { name: 'X', type: 'string', description: 'b' } }),
    ).toThrow('X is declared twice');
  });
});

describe('describeConfig and configHelp', () => {
  it('redacts secrets and keeps everything else', () => {
    const config = loadConfig(SERVICE_SCHEMA, VALID_ENV);
    const described = describeConfig(SERVICE_SCHEMA, config);
    expect(described).toMatchObject({
      SUPABASE_SERVICE_ROLE_KEY: '[redacted]',
      GIGGLES_ENCRYPTION_KEY: '[redacted]',
      SUPABASE_URL: 'https://abc.supabase.co',
      MEMORY_LIMIT_MB: 512,
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    });
    expect(JSON.stringify(described)).not.toContain(KEY);
    expect(JSON.stringify(described)).not.toContain(SERVICE_KEY);
  });

  it('prints one help line per variable', () => {
    const help = configHelp(SERVICE_SCHEMA).split('\n');
    expect(help).toHaveLength(Object.keys(SERVICE_SCHEMA).length);
    expect(help).toContain('LOG_LEVEL (fatal|error|warn|info|debug|trace|silent, default info): Minimum level of the JSON logs');
    expect(help).toContain(
      'GIGGLES_ENCRYPTION_KEY (hex64, required, secret): AES-256-GCM key for stored Limitless API keys, 64 hex characters (same as the original Giggles app)',
    );
  });
});

describe('parseDuration', () => {
  it('reads units, compounds and plain milliseconds', () => {
    expect([parseDuration('250ms'), parseDuration('30s'), parseDuration('2h'), parseDuration('1d'), parseDuration('1.5s'), parseDuration('1500')]).toEqual([
      250, 30_000, 7_200_000, 86_400_000, 1_500, 1_500,
    ]);
    expect([parseDuration(''), parseDuration('5 m'), parseDuration('-5s'), parseDuration('m')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
