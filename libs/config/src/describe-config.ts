import type { ConfigOf, ConfigSchema } from './config-schema';

export const REDACTED = '[redacted]';

/**
 * The effective config by variable name, for the boot log. Secrets that are set show as
 * `[redacted]`; unset optional variables show as undefined.
 */
export function describeConfig<S extends ConfigSchema>(schema: S, config: ConfigOf<S>): Record<string, string | number | boolean | undefined> {
  const described: Record<string, string | number | boolean | undefined> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = config[key as keyof S] as string | number | boolean | undefined;
    described[spec.name] = spec.secret && value !== undefined ? REDACTED : value;
  }
  return described;
}

/** One line per variable — name, type, default, description — for `--help` and docs. */
export function configHelp(schema: ConfigSchema): string {
  return Object.values(schema)
    .map((spec) => {
      const type = spec.type === 'enum' ? spec.values.join('|') : spec.type;
      const presence = spec.default !== undefined ? `default ${spec.secret ? REDACTED : String(spec.default)}` : spec.optional ? 'optional' : 'required';
      return `${spec.name} (${type}, ${presence}${spec.secret ? ', secret' : ''}): ${spec.description}`;
    })
    .join('\n');
}
