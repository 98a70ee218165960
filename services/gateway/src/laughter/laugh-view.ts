import type { Laugh } from '@giggles/contracts';
import { localTimeOf } from './local-time';

/** What the API shows of a laugh: the stored laugh plus its local time, clip URL and review flag. */
export type LaughView = Laugh & { localTime: string; clipUrl: string | null; notLaugh: boolean };

/** The public URL of a laugh's clip — never a server path. */
export function clipUrlOf(laughId: string): string {
  return `/api/laughs/${encodeURIComponent(laughId)}/clip`;
}

export function toLaughView(laugh: Laugh, timezone: string): LaughView {
  return {
    ...laugh,
    localTime: localTimeOf(laugh.startMs, timezone),
    clipUrl: laugh.hasClip ? clipUrlOf(laugh.id) : null,
    notLaugh: laugh.review === 'not_laugh',
  };
}
