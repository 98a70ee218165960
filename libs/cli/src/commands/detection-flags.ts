import { type Command, Option } from 'commander';
import { DEFAULT_DETECTION_SETTINGS, DETECTION_SETTING_BOUNDS, type DetectionSettings, type DetectionSettingsInput, validateDetectionSettings } from '@giggles/detection';

type SettingKey = keyof DetectionSettings;
const KEYS = Object.keys(DETECTION_SETTING_BOUNDS) as SettingKey[];

/** camelCase property commander stores a kebab-case flag under. */
function optionKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * One flag per detection setting, generated from the settings' bounds table so the CLI can never
 * drift from what the services accept. `--threshold` and `--min-duration` are the short names
 * users reach for first.
 */
export function addDetectionFlags(command: Command): Command {
  for (const key of KEYS) {
    const bounds = DETECTION_SETTING_BOUNDS[key];
    const range = bounds.kind === 'choice' ? bounds.values.join('|') : `${bounds.min}-${bounds.max}`;
    command.addOption(
      new Option(`--${bounds.flag} <${bounds.kind === 'choice' ? 'mode' : 'n'}>`, `${bounds.description} [${range}] (default ${String(DEFAULT_DETECTION_SETTINGS[key])}; env ${bounds.env})`),
    );
  }
  command.addOption(new Option('--threshold <score>', 'Shortcut for --start-threshold; the stop threshold keeps its ratio to it unless given'));
  command.addOption(new Option('--min-duration <seconds>', 'Shortcut for --min-event'));
  return command;
}

/**
 * Settings from (lowest to highest precedence) defaults, environment, flags. Throws one error
 * listing every bad value.
 */
export function detectionSettingsFrom(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): DetectionSettings {
  const input: Record<string, unknown> = {};
  for (const key of KEYS) {
    const bounds = DETECTION_SETTING_BOUNDS[key];
    const fromEnv = env[bounds.env];
    if (fromEnv !== undefined && fromEnv !== '') input[key] = fromEnv;
    const fromFlag = flags[optionKey(bounds.flag)];
    if (fromFlag !== undefined) input[key] = fromFlag;
  }
  if (flags.threshold !== undefined) {
    input.startThreshold = flags.threshold;
    if (flags.stopThreshold === undefined) {
      const start = Number(flags.threshold);
      const ratio = DEFAULT_DETECTION_SETTINGS.stopThreshold / DEFAULT_DETECTION_SETTINGS.startThreshold;
      if (Number.isFinite(start)) input.stopThreshold = Math.round(start * ratio * 1e4) / 1e4;
    }
  }
  if (flags.minDuration !== undefined) input.minEventS = flags.minDuration;
  return validateDetectionSettings(input as DetectionSettingsInput);
}
