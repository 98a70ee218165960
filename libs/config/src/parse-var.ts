import type { ConfigVar, DurationVar, FloatVar, IntVar } from './config-schema';
import { parseDuration } from './duration';

export type Parsed = { ok: true; value: string | number | boolean } | { ok: false; problem: string };

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;

const ok = (value: string | number | boolean): Parsed => ({ ok: true, value });
const bad = (problem: string): Parsed => ({ ok: false, problem });

/** Parses one raw (non-empty) environment value according to its spec. */
export function parseVar(spec: ConfigVar, raw: string): Parsed {
  switch (spec.type) {
    case 'string': {
      if (spec.minLength !== undefined && raw.length < spec.minLength) return bad(`must be at least ${spec.minLength} characters`);
      if (spec.maxLength !== undefined && raw.length > spec.maxLength) return bad(`must be at most ${spec.maxLength} characters`);
      if (spec.pattern && !spec.pattern.test(raw)) return bad(`must match ${spec.pattern}`);
      return ok(raw);
    }
    case 'int': {
      const n = Number(raw);
      if (!INT.test(raw) || !Number.isSafeInteger(n)) return bad('must be a whole number');
      return withBounds(spec, n);
    }
    case 'float': {
      const n = Number(raw);
      if (!FLOAT.test(raw) || !Number.isFinite(n)) return bad('must be a number');
      return withBounds(spec, n);
    }
    case 'bool': {
      const word = raw.toLowerCase();
      if (TRUE.has(word)) return ok(true);
      if (FALSE.has(word)) return ok(false);
      return bad('must be true or false (also 1/0, yes/no, on/off)');
    }
    case 'url': {
      const parts = spec.multiple ? raw.split(',').map((s) => s.trim()) : [raw];
      for (const part of parts) {
        const problem = urlProblem(part, spec.protocols);
        if (problem) return bad(problem);
      }
      return ok(raw);
    }
    case 'enum':
      return spec.values.includes(raw) ? ok(raw) : bad(`must be one of ${spec.values.join(', ')}`);
    case 'hex64':
      return HEX64.test(raw) ? ok(raw) : bad('must be exactly 64 hex characters (a 256-bit key)');
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) return bad('must be a duration such as 500ms, 30s, 5m, 2h, 1d, 1h30m, or plain milliseconds');
      return withBounds(spec, ms);
    }
  }
}

/** A bound violation for a number, or undefined. Durations are described in milliseconds. */
export function checkBounds(spec: IntVar | FloatVar | DurationVar, value: number): string | undefined {
  const unit = spec.type === 'duration' ? ' ms' : '';
  if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}${unit}`;
  if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}${unit}`;
  return undefined;
}

function withBounds(spec: IntVar | FloatVar | DurationVar, value: number): Parsed {
  const problem = checkBounds(spec, value);
  return problem ? bad(problem) : ok(value);
}

function urlProblem(text: string, protocols: readonly string[] | undefined): string | undefined {
  const expected = protocols?.length ? ` (${protocols.map((p) => `${p}://`).join(', ')})` : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be a URL${expected}`;
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (protocols?.length && !protocols.includes(scheme)) return `must be a URL${expected}`;
  if (!url.hostname) return 'must be a URL with a host';
  return undefined;
}
