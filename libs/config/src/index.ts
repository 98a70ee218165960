export {
  defineConfig,
  type BoolVar,
  type ConfigOf,
  type ConfigSchema,
  type ConfigVar,
  type DurationVar,
  type EnumVar,
  type FloatVar,
  type Hex64Var,
  type IntVar,
  type StringVar,
  type UrlVar,
} from './config-schema';
export { ConfigError, loadConfig, type ConfigProblem } from './load-config';
export { configHelp, describeConfig, REDACTED } from './describe-config';
export { parseDuration } from './duration';
export { ENCRYPTION_CONFIG, HEALTH_CONFIG, LOG_LEVELS, LOGGING_CONFIG, NATS_CONFIG, OTEL_CONFIG, SUPABASE_CONFIG } from './schemas';
