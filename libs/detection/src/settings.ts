/**
 * Every tunable number of laughter detection, with its default and its allowed range, in one
 * place: the CLI builds its flags from DETECTION_SETTING_BOUNDS, services read the same names
 * from the environment, and tuning the defaults (`npm run eval`) means editing only
 * DEFAULT_DETECTION_SETTINGS below.
 */

/**
 * How the six laughter-family class scores (13–18) become one per-frame laughter score;
 * `cough-discounted` also reads the cough-like classes (42–44) as evidence against laughter.
 */
export type ScoreMode = 'max' | 'sum' | 'noisy-or' | 'cough-discounted';
export const SCORE_MODES: readonly ScoreMode[] = ['max', 'sum', 'noisy-or', 'cough-discounted'];

/** How the per-frame score is smoothed over `smoothingFrames` frames. */
export type SmoothingMethod = 'mean' | 'median';
export const SMOOTHING_METHODS: readonly SmoothingMethod[] = ['mean', 'median'];

export interface DetectionSettings {
  scoreMode: ScoreMode;
  smoothingMethod: SmoothingMethod;
  smoothingFrames: number;
  startThreshold: number;
  stopThreshold: number;
  minEventS: number;
  mergeGapS: number;
  maxEventS: number;
  clipPaddingS: number;
  maxClipS: number;
}

/**
 * Tuned on the development recordings (../shared/eval; `npm run eval`, and
 * libs/cli/scripts/tune-detection.ts for the grid search): see "Tuning" in the README for the
 * figures, the leave-one-recording-out check and what was tried. In short: YAMNet gives even
 * laughter inside speech only a small laughter score (a few hundredths) while speech itself scores
 * ~0, so the threshold is low; what else scores there is mostly coughing, which the
 * cough-discounted mode removes; no smoothing, so one-frame chuckles survive; pauses under 3 s
 * merge, so a laugh with breaths is one event.
 */
export const DEFAULT_DETECTION_SETTINGS: Readonly<DetectionSettings> = Object.freeze({
  scoreMode: 'cough-discounted',
  smoothingMethod: 'mean',
  smoothingFrames: 1,
  startThreshold: 0.02,
  stopThreshold: 0.01,
  minEventS: 0.3,
  mergeGapS: 3,
  maxEventS: 30,
  clipPaddingS: 2,
  maxClipS: 30,
});

interface SettingBoundsBase {
  description: string;
  /** Command-line flag name without the leading dashes. */
  flag: string;
  /** Environment variable a service reads the setting from. */
  env: string;
}

export interface NumericSettingBounds extends SettingBoundsBase {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
  unit: 'score' | 'seconds' | 'frames';
}

export interface ChoiceSettingBounds<T extends string = string> extends SettingBoundsBase {
  kind: 'choice';
  values: readonly T[];
}

export type SettingBounds = NumericSettingBounds | ChoiceSettingBounds;

export type DetectionSettingBounds = {
  readonly [K in keyof DetectionSettings]: DetectionSettings[K] extends number
    ? NumericSettingBounds
    : ChoiceSettingBounds<Extract<DetectionSettings[K], string>>;
};

export const DETECTION_SETTING_BOUNDS: DetectionSettingBounds = Object.freeze({
  scoreMode: {
    kind: 'choice',
    values: SCORE_MODES,
    flag: 'score-mode',
    env: 'DETECTION_SCORE_MODE',
    description:
      'How classes 13-18 (Laughter, Baby laughter, Giggle, Snicker, Belly laugh, Chuckle/chortle) combine ' +
      'into one score per frame: "max" = the strongest class; "sum" = their sum clamped to 1 (rewards ' +
      'several weak classes agreeing); "noisy-or" = 1 - product(1 - p), between the two; "cough-discounted" = ' +
      '"max" minus the strongest of Cough, Throat clearing, Sneeze (floored at 0): what YAMNet also takes for a ' +
      'cough does not count as laughter.',
  },
  smoothingMethod: {
    kind: 'choice',
    values: SMOOTHING_METHODS,
    flag: 'smoothing-method',
    env: 'DETECTION_SMOOTHING_METHOD',
    description:
      'Smoothing of the per-frame score: "mean" (moving average) or "median" (removes one-frame spikes ' +
      'and dips without blurring edges). The window is centred, so events are not shifted in time.',
  },
  smoothingFrames: {
    kind: 'number',
    min: 1,
    max: 21,
    integer: true,
    unit: 'frames',
    flag: 'smoothing-frames',
    env: 'DETECTION_SMOOTHING_FRAMES',
    description:
      'Width of the smoothing window in frames (0.48 s each); 1 turns smoothing off. Streaming output ' +
      'is delayed by half the window.',
  },
  startThreshold: {
    kind: 'number',
    min: 0.01,
    max: 1,
    integer: false,
    unit: 'score',
    flag: 'start-threshold',
    env: 'DETECTION_START_THRESHOLD',
    description: 'A laugh starts at a frame whose smoothed score is at least this.',
  },
  stopThreshold: {
    kind: 'number',
    min: 0,
    max: 1,
    integer: false,
    unit: 'score',
    flag: 'stop-threshold',
    env: 'DETECTION_STOP_THRESHOLD',
    description:
      'A started laugh continues while the smoothed score stays at or above this (hysteresis); must not ' +
      'exceed the start threshold. Equal to it means a plain single threshold.',
  },
  minEventS: {
    kind: 'number',
    min: 0,
    max: 30,
    integer: false,
    unit: 'seconds',
    flag: 'min-event',
    env: 'DETECTION_MIN_EVENT_S',
    description:
      'Laughs shorter than this (after merging) are dropped. Events are whole frames of 0.48 s, so ' +
      'anything up to 0.48 keeps single-frame laughs.',
  },
  mergeGapS: {
    kind: 'number',
    min: 0,
    max: 30,
    integer: false,
    unit: 'seconds',
    flag: 'merge-gap',
    env: 'DETECTION_MERGE_GAP_S',
    description:
      'Laughs separated by a pause shorter than this are merged into one. Pauses are whole frames ' +
      '(0.48 s each): 1.0 merges pauses of 0.48 and 0.96 s. Larger values delay streaming output.',
  },
  maxEventS: {
    kind: 'number',
    min: 1,
    max: 600,
    integer: false,
    unit: 'seconds',
    flag: 'max-event',
    env: 'DETECTION_MAX_EVENT_S',
    description:
      'Longer laughter is split into consecutive events of at most this length (cut at the limit; a ' +
      'pause at the cut belongs to neither part). Must be at least the minimum event length.',
  },
  clipPaddingS: {
    kind: 'number',
    min: 0,
    max: 30,
    integer: false,
    unit: 'seconds',
    flag: 'clip-padding',
    env: 'DETECTION_CLIP_PADDING_S',
    description: 'Audio kept before and after each laugh in its clip.',
  },
  maxClipS: {
    kind: 'number',
    min: 1,
    max: 300,
    integer: false,
    unit: 'seconds',
    flag: 'max-clip',
    env: 'DETECTION_MAX_CLIP_S',
    description: 'Longest clip; a longer laugh gets a clip of this length centred on its peak.',
  },
} satisfies DetectionSettingBounds);

/** What `validateDetectionSettings` accepts: typed values, or strings as they come from env/flags. */
export type DetectionSettingsInput = {
  readonly [K in keyof DetectionSettings]?: DetectionSettings[K] | string | null;
};

export interface DetectionSettingIssue {
  /** Setting name (or the unknown key that was given). */
  setting: string;
  message: string;
}

/** Thrown with every problem at once, so a user fixes a configuration in one go. */
export class DetectionSettingsError extends Error {
  constructor(readonly issues: readonly DetectionSettingIssue[]) {
    super(`Invalid detection settings:\n${issues.map((i) => `  - ${i.setting}: ${i.message}`).join('\n')}`);
    this.name = 'DetectionSettingsError';
  }
}

const SETTING_NAMES = Object.keys(DETECTION_SETTING_BOUNDS) as (keyof DetectionSettings)[];
// Plain decimal notation only: Number() would also accept "0x1f", "Infinity" or "1_0"-style typos.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function parseNumeric(value: unknown, bounds: NumericSettingBounds): number | string {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return `must be a number (got ${describe(value)})`;
  if (!Number.isFinite(n)) return `must be a finite number (got ${describe(value)})`;
  if (bounds.integer && !Number.isInteger(n)) return `must be a whole number (got ${describe(value)})`;
  if (n < bounds.min || n > bounds.max) {
    return `must be between ${bounds.min} and ${bounds.max} (got ${describe(value)})`;
  }
  return n;
}

/**
 * Fills in defaults and checks every setting against DETECTION_SETTING_BOUNDS plus the rules
 * that tie settings together. `undefined`, `null` and empty strings mean "use the default" (an
 * empty environment variable is how people unset things). Unknown keys are errors, because a
 * misspelt setting silently falling back to its default is worse than a refusal.
 */
export function validateDetectionSettings(input: DetectionSettingsInput = {}): DetectionSettings {
  const issues: DetectionSettingIssue[] = [];
  const result: Record<string, unknown> = { ...DEFAULT_DETECTION_SETTINGS };

  for (const key of Object.keys(input)) {
    if (!(SETTING_NAMES as string[]).includes(key)) {
      issues.push({ setting: key, message: `unknown setting (known: ${SETTING_NAMES.join(', ')})` });
    }
  }

  for (const name of SETTING_NAMES) {
    const raw: unknown = input[name];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    const bounds: SettingBounds = DETECTION_SETTING_BOUNDS[name];
    if (bounds.kind === 'choice') {
      const value = typeof raw === 'string' ? raw.trim() : raw;
      if (typeof value === 'string' && bounds.values.includes(value)) result[name] = value;
      else issues.push({ setting: name, message: `must be one of ${bounds.values.join(', ')} (got ${describe(raw)})` });
    } else {
      const parsed = parseNumeric(raw, bounds);
      if (typeof parsed === 'number') result[name] = parsed;
      else issues.push({ setting: name, message: parsed });
    }
  }

  const settings = result as unknown as DetectionSettings;
  const bad = new Set(issues.map((i) => i.setting));
  // Cross-setting rules are only meaningful when both sides are individually valid.
  if (!bad.has('stopThreshold') && !bad.has('startThreshold') && settings.stopThreshold > settings.startThreshold) {
    issues.push({
      setting: 'stopThreshold',
      message: `must not exceed startThreshold (${settings.stopThreshold} > ${settings.startThreshold})`,
    });
  }
  if (!bad.has('maxEventS') && !bad.has('minEventS') && settings.maxEventS < settings.minEventS) {
    issues.push({
      setting: 'maxEventS',
      message: `must be at least minEventS (${settings.maxEventS} < ${settings.minEventS})`,
    });
  }

  if (issues.length > 0) throw new DetectionSettingsError(issues);
  return settings;
}

/** Reads the settings from environment variables named in DETECTION_SETTING_BOUNDS (`env`). */
export function detectionSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): DetectionSettings {
  const input: Record<string, string | undefined> = {};
  for (const name of SETTING_NAMES) input[name] = env[DETECTION_SETTING_BOUNDS[name].env];
  return validateDetectionSettings(input as DetectionSettingsInput);
}
