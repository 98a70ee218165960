import type { ConfigOf, ConfigSchema, ConfigVar } from './config-schema';
import { parseVar } from './parse-var';

export interface ConfigProblem {
  name: string;
  problem: string;
}

/** Every bad variable at once, one per line, so a deployment is fixed in one round. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [`Invalid configuration: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, ...problems.map((p) => `  - ${p.name}: ${p.problem}`)].join('\n'),
    );
  }
}

/**
 * Reads and validates every variable of `schema` from `env`. Empty values count as unset
 * (Compose passes `VAR=` for `${VAR:-}`). Throws `ConfigError` listing every problem; secret
 * values never appear in it.
 */
export function loadConfig<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const raw = env[spec.name]?.trim();
    if (raw === undefined || raw === '') {
      if (spec.default !== undefined) values[key] = spec.default;
      else if (spec.optional) values[key] = undefined;
      else problems.push({ name: spec.name, problem: `is required — ${spec.description}` });
      continue;
    }
    const parsed = parseVar(spec, raw);
    if (parsed.ok) values[key] = parsed.value;
    else problems.push({ name: spec.name, problem: `${parsed.problem} ${shown(spec, raw)}` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values) as ConfigOf<S>;
}

function shown(spec: ConfigVar, raw: string): string {
  if (spec.secret) return '(value hidden: secret)';
  const clipped = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return `(got ${JSON.stringify(clipped)})`;
}
