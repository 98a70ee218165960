import { type WallClock } from './local-time';

/**
 * Recorder file-name patterns, tried in order; the first match that is a real time wins.
 * Each yields wall-clock fields (read in the user's time zone) and, for ISO names that carry
 * one, an explicit UTC offset.
 *
 * Examples each pattern covers (see placement.spec.ts for the full table):
 * - separated:  `2026-12-03 14.15.00`, `2026-12-03T14:15:00`, `2026-12-03_14-15-00`,
 *               `Recording 2026-12-03 14.15`, `2026-12-03T14:15:00Z`, `…+01:00`
 * - compact:    `20261203_141500`, `REC_20261203-141500`, `VID_20261203_141500`,
 *               `PXL_20261203_141500123` (ms), `20261203 141500-3A4B.m4a` (iOS Voice Memos export),
 *               `20261203141500`
 * - short year: `Voice 261203_141500` (Samsung Voice Recorder), `261203-141500`
 *
 * The patterns are anchored on digit boundaries and contain no nested quantifiers, so a hostile
 * name costs linear time; names are also cut to NAME_SCAN_LIMIT characters first.
 */
export const NAME_SCAN_LIMIT = 512;

export interface NameMatch {
  wall: WallClock;
  /** Minutes east of UTC when the name says so (`Z`, `+01:00`); undefined means local time. */
  offsetMinutes?: number;
  /** The part of the name that was read. */
  text: string;
}

interface Pattern {
  regex: RegExp;
  read(m: RegExpExecArray): Omit<NameMatch, 'text'>;
}

const num = (s: string | undefined, fallback = 0): number => (s === undefined || s === '' ? fallback : Number(s));
const millis = (s: string | undefined): number => (s ? Number(s.padEnd(3, '0')) : 0);

function offsetOf(zone: string | undefined): number | undefined {
  if (!zone) return undefined;
  if (zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

const PATTERNS: Pattern[] = [
  {
    // 2026-12-03 14.15.00 / 2026-12-03T14:15:00.250+01:00 / 2026-12-03_14-15 (seconds optional)
    regex: /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:T|_|-|\s{1,3}|\s?at\s?)(\d{2})[:.\-h](\d{2})(?:[:.\-m](\d{2})(?:[.,](\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?(?!\d)/gi,
    read: (m) => ({
      wall: { year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]), millisecond: millis(m[7]) },
      offsetMinutes: offsetOf(m[8]),
    }),
  },
  {
    // 20261203_141500 / REC_20261203-141500 / PXL_20261203_141500123 / 20261203141500
    regex: /(?<!\d)(\d{4})(\d{2})(\d{2})[T_\- ]?(\d{2})(\d{2})(\d{2})(\d{3})?(?!\d)/g,
    read: (m) => ({
      wall: { year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]), millisecond: millis(m[7]) },
    }),
  },
  {
    // Voice 261203_141500 (two-digit year: 20YY)
    regex: /(?<!\d)(\d{2})(\d{2})(\d{2})[_\-](\d{2})(\d{2})(\d{2})(?!\d)/g,
    read: (m) => ({
      wall: { year: 2000 + num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]), millisecond: 0 },
    }),
  },
];

/** The file's base name without directories or extension, cut to NAME_SCAN_LIMIT characters. */
export function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? '';
  const dot = last.lastIndexOf('.');
  const stem = dot > 0 && last.length - dot <= 6 ? last.slice(0, dot) : last;
  return stem.slice(0, NAME_SCAN_LIMIT);
}

/**
 * Every time-like match in the name, in pattern order then position order. The caller keeps the
 * first that is a real calendar time in a plausible range.
 */
export function* nameMatches(fileName: string): Generator<NameMatch> {
  const name = baseName(fileName);
  for (const pattern of PATTERNS) {
    const regex = new RegExp(pattern.regex.source, pattern.regex.flags);
    for (let m = regex.exec(name); m; m = regex.exec(name)) {
      yield { ...pattern.read(m), text: m[0] };
    }
  }
}
