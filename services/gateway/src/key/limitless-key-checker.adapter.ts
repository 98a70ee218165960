import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';
import type { KeyCheck, LimitlessKeyChecker } from './limitless-key-checker.port';

/**
 * Checks a key with the cheapest authenticated call Limitless has: `GET /v1/lifelogs?limit=1`
 * with `X-API-Key`. 401/403 = refused; 429 = accepted (only a known key is rate limited);
 * anything else that is not 2xx, a network error or GATEWAY_LIMITLESS_CHECK_TIMEOUT = unreachable.
 * The key goes only into that header: never into a URL, an error or a log line.
 */
@Injectable()
export class HttpLimitlessKeyChecker implements LimitlessKeyChecker {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly config: GatewayConfig) {}

  async check(apiKey: string): Promise<KeyCheck> {
    const url = new URL('/v1/lifelogs', this.config.limitlessApiUrl);
    url.searchParams.set('limit', '1');
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'X-API-Key': apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.limitlessCheckTimeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { outcome: 'unreachable', reason: timedOut ? 'timeout' : 'network error' };
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403) return { outcome: 'rejected' };
    if (response.ok || response.status === 429) return { outcome: 'accepted' };
    return { outcome: 'unreachable', reason: `HTTP ${response.status}` };
  }
}
