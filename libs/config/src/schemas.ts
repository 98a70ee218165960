import { defineConfig } from './config-schema';

/** Variables every Giggles service shares. Services spread the ones they need into their schema. */

export const NATS_CONFIG = defineConfig({
  natsUrl: {
    name: 'NATS_URL',
    type: 'url',
    protocols: ['nats', 'tls', 'ws', 'wss'],
    multiple: true,
    default: 'nats://127.0.0.1:4222',
    description: 'NATS server with JetStream; a comma-separated list for a cluster',
  },
});

export const SUPABASE_CONFIG = defineConfig({
  supabaseUrl: { name: 'SUPABASE_URL', type: 'url', protocols: ['http', 'https'], description: 'URL of the Supabase project (or the bundled local stack)' },
  supabaseServiceRoleKey: {
    name: 'SUPABASE_SERVICE_ROLE_KEY',
    type: 'string',
    secret: true,
    minLength: 20,
    description: 'Supabase service-role key (bypasses row-level security; server side only)',
  },
});

export const ENCRYPTION_CONFIG = defineConfig({
  encryptionKey: {
    name: 'GIGGLES_ENCRYPTION_KEY',
    type: 'hex64',
    secret: true,
    description: 'AES-256-GCM key for stored Limitless API keys, 64 hex characters (same as the original Giggles app)',
  },
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const LOGGING_CONFIG = defineConfig({
  logLevel: { name: 'LOG_LEVEL', type: 'enum', values: LOG_LEVELS, default: 'info', description: 'Minimum level of the JSON logs' },
});

export const HEALTH_CONFIG = defineConfig({
  memoryLimitMb: {
    name: 'MEMORY_LIMIT_MB',
    type: 'int',
    min: 32,
    max: 1_048_576,
    default: 512,
    description: "The container's memory limit; readiness fails as RSS approaches it",
  },
});

export const OTEL_CONFIG = defineConfig({
  otelEndpoint: {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    type: 'url',
    protocols: ['http', 'https'],
    optional: true,
    description: 'OTLP/HTTP collector for traces; unset disables export',
  },
});
