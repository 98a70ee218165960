import { Module } from '@nestjs/common';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { MeController } from './me.controller';
import { SessionController } from './session.controller';

@Module({
  controllers: [AccountController, SessionController, MeController],
  providers: [AccountService],
  exports: [AccountService],
})
export class AccountModule {}
