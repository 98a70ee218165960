import { Module } from '@nestjs/common';
import { AccountModule } from '../account/account.module';
import { LegacyAuthController } from './legacy-auth.controller';

@Module({ imports: [AccountModule], controllers: [LegacyAuthController] })
export class LegacyAuthModule {}
