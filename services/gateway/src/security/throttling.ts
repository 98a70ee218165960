import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { AUTH_RATE_LIMITED } from '../auth/auth-rate-limited.decorator';
import type { GatewayConfig } from '../config/gateway-config';
import { BoundedThrottlerStorage } from './bounded-throttler.storage';

/** Throttler names: `default` covers every route, `auth` only routes marked @AuthRateLimited(). */
export const THROTTLERS = { general: 'default', auth: 'auth' } as const;

function isAuthRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(AUTH_RATE_LIMITED, context.getHandler()) === true;
}

/** Per client IP: GATEWAY_THROTTLE_* on everything, GATEWAY_AUTH_THROTTLE_* on top for auth routes; counters bounded. */
export function throttlerOptions(config: GatewayConfig): ThrottlerModuleOptions {
  return {
    storage: new BoundedThrottlerStorage(config.throttleCacheMax),
    errorMessage: 'Too many requests — wait a little and try again',
    throttlers: [
      { name: THROTTLERS.general, ttl: config.throttleTtlMs, limit: config.throttleLimit },
      {
        name: THROTTLERS.auth,
        ttl: config.authThrottleTtlMs,
        limit: config.authThrottleLimit,
        skipIf: (context) => !isAuthRoute(context),
        // One budget per client across every auth route: guessing passwords on /api/session and /api/auth/login counts once.
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
      },
    ],
  };
}
