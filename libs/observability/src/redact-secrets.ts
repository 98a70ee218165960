export const REDACTED = '[redacted]';

/**
 * Field names that hold secrets, matched case-insensitively: Limitless API keys (`apiKey`, `key`,
 * `x-api-key`, `encryptedKey`), auth headers, passwords and tokens, and env-style `*_KEY` names
 * (`SUPABASE_SERVICE_ROLE_KEY`, `GIGGLES_ENCRYPTION_KEY`). Over-redacting a harmless `*_key`
 * field costs a little debugging; under-redacting leaks a user's key into log storage.
 */
const SECRET_NAME = /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|key|password|passwd|secret|token)$/i;
const SECRET_SUFFIX = /(?:[_-]key|apikey|encryptedkey|rolekey|encryptionkey|password|secret|accesstoken|refreshtoken)$/i;

export function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name) || SECRET_SUFFIX.test(name);
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` with secret fields replaced, through nested plain objects and arrays. Other
 * objects (errors, dates, buffers) pass through untouched for pino's serializers.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value, 0, new WeakSet()) as T;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redact(item, depth + 1, seen));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = isSecretField(key) && field !== undefined && field !== null ? REDACTED : redact(field, depth + 1, seen);
  }
  return copy;
}
