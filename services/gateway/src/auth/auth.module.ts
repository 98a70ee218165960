import { Global, Module } from '@nestjs/common';
import { AccessTokenVerifier } from './access-token.verifier';
import { AUTH_PROVIDER } from './auth-provider.port';
import { provideSessionCookies } from './session-cookies.provider';
import { SessionGuard } from './session.guard';
import { SupabaseAuthAdapter } from './supabase-auth.adapter';

/** Token verification, the session guard (made global in AppModule), session cookies and the identity provider — injectable everywhere. */
@Global()
@Module({
  providers: [AccessTokenVerifier, provideSessionCookies, { provide: AUTH_PROVIDER, useClass: SupabaseAuthAdapter }, SessionGuard],
  exports: [AccessTokenVerifier, provideSessionCookies, AUTH_PROVIDER, SessionGuard],
})
export class AuthModule {}
