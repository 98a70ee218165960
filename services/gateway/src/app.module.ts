import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Telemetry } from '@giggles/observability';
import { AccountModule } from './account/account.module';
import { ArchiveModule } from './archive/archive.module';
import { NatsModule } from './adapters/nats.module';
import { AuthModule } from './auth/auth.module';
import { SessionGuard } from './auth/session.guard';
import type { GatewayConfig } from './config/gateway-config';
import { GatewayCoreModule } from './core.module';
import { GatewayHealthModule } from './health/gateway-health.module';
import { HistoryModule } from './history/history.module';
import { UploadsModule } from './uploads/uploads.module';
import { LimitlessKeyModule } from './key/limitless-key.module';
import { LegacyAuthModule } from './legacy-auth/legacy-auth.module';
import { LaughterModule } from './laughter/laughter.module';
import { LegacyDataModule } from './legacy/legacy-data.module';
import type { GatewayLogger } from './logging/logger';
import { AllExceptionsFilter } from './security/all-exceptions.filter';
import { throttlerOptions } from './security/throttling';

export interface AppModuleOptions {
  /** Flushed as the last step of shutdown (main.ts starts it before the app). */
  telemetry?: Telemetry;
}

/**
 * controllers (account, session, me, key, legacy auth, health; laughter and legacy data from
 * their modules) → services → adapters (NATS queries, Supabase Auth, Limitless key check). Global:
 * settings, logger, NATS client, auth; guards: rate limit first, then the session guard.
 */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: GatewayLogger, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GatewayCoreModule.forRoot(config, logger, options.telemetry),
        GatewayHealthModule,
        NatsModule,
        AuthModule,
        ThrottlerModule.forRoot(throttlerOptions(config)),
        AccountModule,
        LimitlessKeyModule,
        LegacyAuthModule,
        LaughterModule,
        LegacyDataModule,
        HistoryModule,
        ArchiveModule,
        UploadsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: SessionGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
