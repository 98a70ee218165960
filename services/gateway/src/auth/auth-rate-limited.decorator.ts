import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'giggles:auth-rate-limited';

/** Puts a route under the stricter auth rate limit (GATEWAY_AUTH_THROTTLE_*): sign-in, sign-up, refresh, reset. */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
