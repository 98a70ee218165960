export const LIMITLESS_KEY_CHECKER = Symbol('LIMITLESS_KEY_CHECKER');

/** What Limitless said about a key: accepted, refused (401/403), or it could not be asked (down, 5xx, timeout). */
export type KeyCheck = { outcome: 'accepted' } | { outcome: 'rejected' } | { outcome: 'unreachable'; reason: string };

export interface LimitlessKeyChecker {
  check(apiKey: string): Promise<KeyCheck>;
}
