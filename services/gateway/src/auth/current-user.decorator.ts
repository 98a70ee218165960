import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from './authenticated-user';

/** Where SessionGuard leaves the verified user on the request. */
export const REQUEST_USER = 'gigglesUser';

export interface RequestWithUser {
  [REQUEST_USER]?: AuthenticatedUser;
}

/**
 * The AuthenticatedUser of the request (`@CurrentUser() user: AuthenticatedUser`). Only on routes
 * the global SessionGuard protects; on a @Public() route there is none and this throws 401.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<RequestWithUser>()[REQUEST_USER];
  if (!user) throw new UnauthorizedException('Sign in first');
  return user;
});
