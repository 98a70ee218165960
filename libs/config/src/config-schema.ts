import { checkBounds, parseVar } from './parse-var';

/**
 * A config schema maps property names to environment variables. Each variable says what it is
 * (type, bounds, default, whether it is a secret) and why it exists (description), so the same
 * schema validates the environment, prints help, and logs the effective config without secrets.
 */

interface VarBase {
  /** The environment variable, e.g. `NATS_URL`. */
  name: string;
  description: string;
  /** Never printed: not in errors, not in `describeConfig`. */
  secret?: boolean;
  /** Without a default, a missing optional variable is `undefined` instead of an error. */
  optional?: boolean;
}

export interface StringVar extends VarBase {
  type: 'string';
  default?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
}

export interface IntVar extends VarBase {
  type: 'int';
  default?: number;
  min?: number;
  max?: number;
}

export interface FloatVar extends VarBase {
  type: 'float';
  default?: number;
  min?: number;
  max?: number;
}

export interface BoolVar extends VarBase {
  type: 'bool';
  default?: boolean;
}

export interface UrlVar extends VarBase {
  type: 'url';
  default?: string;
  /** Allowed schemes without the colon, e.g. `['http', 'https']`. Any scheme when absent. */
  protocols?: readonly string[];
  /** Accept a comma-separated list of URLs (NATS cluster seeds); the value stays the raw string. */
  multiple?: boolean;
}

export interface EnumVar<V extends string = string> extends VarBase {
  type: 'enum';
  values: readonly V[];
  default?: NoInfer<V>;
}

/** 64 hex characters (a 256-bit key); the value keeps its case as given. */
export interface Hex64Var extends VarBase {
  type: 'hex64';
  default?: string;
}

/** `250ms`, `30s`, `5m`, `2h`, `1d`, `1h30m`, or plain milliseconds; the value is milliseconds. */
export interface DurationVar extends VarBase {
  type: 'duration';
  /** Milliseconds. */
  default?: number;
  /** Milliseconds. */
  min?: number;
  /** Milliseconds. */
  max?: number;
}

export type ConfigVar = StringVar | IntVar | FloatVar | BoolVar | UrlVar | EnumVar | Hex64Var | DurationVar;

export type ConfigSchema = Readonly<Record<string, ConfigVar>>;

type ValueOf<V> = V extends { type: 'enum'; values: readonly (infer E)[] }
  ? E
  : V extends { type: 'int' | 'float' | 'duration' }
    ? number
    : V extends { type: 'bool' }
      ? boolean
      : string;

type Resolved<V> = V extends { default: unknown } ? ValueOf<V> : V extends { optional: true } ? ValueOf<V> | undefined : ValueOf<V>;

/** The typed config object a schema produces. */
export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: Resolved<S[K]> };

/**
 * Declares a schema, keeping literal types (enum values, defaults) for `ConfigOf`. Defaults are
 * checked here, at import time, so a bad default fails every test rather than one deployment.
 * Combine schemas by spreading: `defineConfig({ ...NATS_CONFIG, ...LOGGING_CONFIG, ... })`.
 */
export function defineConfig<const S extends ConfigSchema>(schema: S): S {
  const names = new Set<string>();
  for (const [key, spec] of Object.entries(schema)) {
    if (names.has(spec.name)) throw new Error(`config schema: ${spec.name} is declared twice`);
    names.add(spec.name);
    if (spec.default !== undefined) {
      const problem = checkDefault(spec);
      if (problem) throw new Error(`config schema: default for ${spec.name} (${key}) ${problem}`);
    }
  }
  return schema;
}

function checkDefault(spec: ConfigVar): string | undefined {
  if (spec.type === 'int' || spec.type === 'float' || spec.type === 'duration') return checkBounds(spec, spec.default as number);
  if (spec.type === 'bool') return undefined;
  const parsed = parseVar(spec, String(spec.default));
  return parsed.ok ? undefined : parsed.problem;
}
