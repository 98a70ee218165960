import {
  ConfigError,
  defineConfig,
  describeConfig,
  ENCRYPTION_CONFIG,
  HEALTH_CONFIG,
  loadConfig,
  LOGGING_CONFIG,
  NATS_CONFIG,
  OTEL_CONFIG,
  SUPABASE_CONFIG,
  type ConfigOf,
  type ConfigProblem,
} from '@giggles/config';
import { HEALTH_SERVER_CONFIG } from '@giggles/health';
import { LAUGHTER_CONFIG } from '../laughter/laughter-config';
import { HISTORY_CONFIG } from '../history/history-config';
import { UPLOADS_CONFIG } from '../uploads/uploads-config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Every environment variable the gateway reads; validated once at boot. */
export const GATEWAY_CONFIG = defineConfig({
  ...NATS_CONFIG,
  ...LOGGING_CONFIG,
  ...OTEL_CONFIG,
  ...HEALTH_CONFIG,
  ...HEALTH_SERVER_CONFIG,
  ...SUPABASE_CONFIG,
  ...ENCRYPTION_CONFIG,
  ...LAUGHTER_CONFIG,
  ...HISTORY_CONFIG,
  ...UPLOADS_CONFIG,
  port: {
    name: 'GATEWAY_PORT',
    type: 'int',
    min: 0,
    max: 65_535,
    default: 8080,
    description: 'Public HTTP port: the API under /api and the web app (0 = any free port, for tests)',
  },
  host: {
    name: 'GATEWAY_HOST',
    type: 'string',
    minLength: 1,
    maxLength: 255,
    default: '0.0.0.0',
    description: 'Interface the public port listens on',
  },
  supabaseAnonKey: {
    name: 'SUPABASE_ANON_KEY',
    type: 'string',
    secret: true,
    minLength: 20,
    description: "The project's anon key: the `apikey` header Supabase Auth requires on every call",
  },
  jwtSecret: {
    name: 'SUPABASE_JWT_SECRET',
    type: 'string',
    secret: true,
    minLength: 32,
    optional: true,
    description: "HS256 secret access tokens are signed with (Supabase's legacy JWT secret); set this or SUPABASE_JWKS_URL",
  },
  jwksUrl: {
    name: 'SUPABASE_JWKS_URL',
    type: 'url',
    protocols: ['http', 'https'],
    optional: true,
    description: 'JWKS of a project with asymmetric signing keys (`<SUPABASE_URL>/auth/v1/.well-known/jwks.json`); set this or SUPABASE_JWT_SECRET',
  },
  jwtIssuer: {
    name: 'SUPABASE_JWT_ISSUER',
    type: 'string',
    minLength: 1,
    maxLength: 500,
    optional: true,
    description: 'Required `iss` of access tokens (default `<SUPABASE_URL>/auth/v1`, what Supabase Auth puts there)',
  },
  jwtAudience: {
    name: 'SUPABASE_JWT_AUDIENCE',
    type: 'string',
    minLength: 1,
    maxLength: 200,
    default: 'authenticated',
    description: 'Required `aud` of access tokens',
  },
  jwtClockToleranceMs: {
    name: 'GATEWAY_JWT_CLOCK_TOLERANCE',
    type: 'duration',
    min: 0,
    max: 5 * MINUTE,
    default: 30 * SECOND,
    description: 'Clock skew allowed when checking a token’s `exp`/`nbf`/`iat`',
  },
  jwksCacheTtlMs: {
    name: 'GATEWAY_JWKS_CACHE_TTL',
    type: 'duration',
    min: 10 * SECOND,
    max: 24 * HOUR,
    default: 10 * MINUTE,
    description: 'How long fetched signing keys are trusted before they are fetched again',
  },
  jwksCooldownMs: {
    name: 'GATEWAY_JWKS_COOLDOWN',
    type: 'duration',
    min: 0,
    max: 10 * MINUTE,
    default: 30 * SECOND,
    description: 'Shortest interval between two JWKS fetches caused by tokens with an unknown `kid` (a flood of forged kids cannot make the gateway hammer the JWKS URL)',
  },
  jwksTimeoutMs: {
    name: 'GATEWAY_JWKS_TIMEOUT',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: 5 * SECOND,
    description: 'How long to wait for the JWKS URL',
  },
  authTimeoutMs: {
    name: 'GATEWAY_AUTH_TIMEOUT',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: 10 * SECOND,
    description: 'How long to wait for Supabase Auth (sign-up, sign-in, refresh, sign-out, reset)',
  },
  cookieSecure: {
    name: 'GATEWAY_COOKIE_SECURE',
    type: 'bool',
    default: true,
    description: 'Session cookies carry `Secure` (sent over HTTPS only). Set false ONLY for a plain-http local demo on localhost',
  },
  refreshCookieMaxAgeMs: {
    name: 'GATEWAY_SESSION_MAX_AGE',
    type: 'duration',
    min: HOUR,
    max: 400 * 24 * HOUR,
    default: 30 * 24 * HOUR,
    description: 'Lifetime of the refresh-token cookie (how long a browser stays signed in without signing in again)',
  },
  corsOrigins: {
    name: 'GATEWAY_CORS_ORIGINS',
    type: 'string',
    default: '',
    maxLength: 4000,
    description: 'Comma-separated origins (e.g. `https://giggles.example.com`) allowed to call the API from another origin; empty = same origin only',
  },
  bodyLimitKb: {
    name: 'GATEWAY_BODY_LIMIT_KB',
    type: 'int',
    min: 1,
    max: 10_240,
    default: 64,
    description: 'Largest request body accepted (KiB); larger → 413',
  },
  throttleTtlMs: {
    name: 'GATEWAY_THROTTLE_TTL',
    type: 'duration',
    min: SECOND,
    max: HOUR,
    default: MINUTE,
    description: 'Window of the general rate limit',
  },
  throttleLimit: {
    name: 'GATEWAY_THROTTLE_LIMIT',
    type: 'int',
    min: 1,
    max: 1_000_000,
    default: 600,
    description: 'Requests per client IP per GATEWAY_THROTTLE_TTL on any route; more → 429',
  },
  authThrottleTtlMs: {
    name: 'GATEWAY_AUTH_THROTTLE_TTL',
    type: 'duration',
    min: SECOND,
    max: HOUR,
    default: 15 * MINUTE,
    description: 'Window of the stricter limit on sign-in, sign-up, refresh and password reset',
  },
  authThrottleLimit: {
    name: 'GATEWAY_AUTH_THROTTLE_LIMIT',
    type: 'int',
    min: 1,
    max: 100_000,
    default: 20,
    description: 'Auth requests per client IP per GATEWAY_AUTH_THROTTLE_TTL (password guessing); more → 429',
  },
  throttleCacheMax: {
    name: 'GATEWAY_THROTTLE_MAX_CLIENTS',
    type: 'int',
    min: 100,
    max: 10_000_000,
    default: 100_000,
    description: 'Most client keys the rate limiter remembers at once (oldest dropped first): memory stays bounded under a flood of addresses',
  },
  trustProxy: {
    name: 'GATEWAY_TRUST_PROXY',
    type: 'int',
    min: 0,
    max: 10,
    default: 0,
    description: 'Reverse proxies in front of the gateway whose X-Forwarded-For is believed (client IP for rate limits); 0 = none',
  },
  queryTimeoutMs: {
    name: 'GATEWAY_QUERY_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 5 * MINUTE,
    default: 10 * SECOND,
    description: 'How long to wait for persistence or the scheduler to answer',
  },
  healthServices: {
    name: 'GATEWAY_HEALTH_SERVICES',
    type: 'string',
    minLength: 1,
    maxLength: 200,
    default: 'ingestion,inference,persistence,scheduler',
    description: 'Services /api/health asks over NATS (comma-separated); a deployment runs all four',
  },
  readyProbeTimeoutMs: {
    name: 'GATEWAY_READY_PROBE_TIMEOUT',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: 2 * SECOND,
    description: 'How long readiness waits for persistence and the scheduler to answer a probe',
  },
  limitlessApiUrl: {
    name: 'LIMITLESS_API_URL',
    type: 'url',
    protocols: ['http', 'https'],
    default: 'https://api.limitless.ai',
    description: 'Base URL of the Limitless API (a new key is checked against it; tests point it at the simulator)',
  },
  limitlessCheckTimeoutMs: {
    name: 'GATEWAY_LIMITLESS_CHECK_TIMEOUT',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: 10 * SECOND,
    description: 'How long to wait for Limitless when checking a new key (longer → 502)',
  },
  accessLog: {
    name: 'GATEWAY_ACCESS_LOG',
    type: 'bool',
    default: true,
    description: 'One log line per API request (method, path without query, status, ms, user id)',
  },
  webDir: {
    name: 'GATEWAY_WEB_DIR',
    type: 'string',
    minLength: 1,
    maxLength: 4000,
    optional: true,
    description: "The web app's built files (default apps/web/dist in the repository; the Docker image copies them in)",
  },
});

export type GatewayConfig = ConfigOf<typeof GATEWAY_CONFIG> & {
  /** Parsed GATEWAY_CORS_ORIGINS. */
  corsOriginList: string[];
  /** The required token issuer (SUPABASE_JWT_ISSUER or `<SUPABASE_URL>/auth/v1`). */
  issuer: string;
};

/**
 * Reads and validates the environment; throws one `ConfigError` listing every bad variable,
 * including a missing token verification key and malformed CORS origins.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: ConfigProblem[] = [];
  let config: ConfigOf<typeof GATEWAY_CONFIG> | undefined;
  try {
    config = loadConfig(GATEWAY_CONFIG, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const hasSecret = Boolean(env[GATEWAY_CONFIG.jwtSecret.name]?.trim());
  const hasJwks = Boolean(env[GATEWAY_CONFIG.jwksUrl.name]?.trim());
  if (!hasSecret && !hasJwks) {
    problems.push({ name: GATEWAY_CONFIG.jwtSecret.name, problem: `set it or ${GATEWAY_CONFIG.jwksUrl.name}: access tokens cannot be verified without a key` });
  }
  const origins = (env[GATEWAY_CONFIG.corsOrigins.name] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!isOrigin(origin)) problems.push({ name: GATEWAY_CONFIG.corsOrigins.name, problem: `must be origins like https://example.com (got ${JSON.stringify(origin)})` });
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return {
    ...config,
    corsOriginList: origins,
    issuer: config.jwtIssuer ?? `${config.supabaseUrl.replace(/\/+$/, '')}/auth/v1`,
  };
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** For the boot log (secrets left out). */
export function describeGatewayConfig(config: GatewayConfig): Record<string, string | number | boolean | undefined> {
  return describeConfig(GATEWAY_CONFIG, config);
}
