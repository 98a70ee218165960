import { Module } from '@nestjs/common';
import { KeyCipher } from '@giggles/crypto';
import { AccountModule } from '../account/account.module';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';
import { HttpLimitlessKeyChecker } from './limitless-key-checker.adapter';
import { LIMITLESS_KEY_CHECKER } from './limitless-key-checker.port';
import { LimitlessKeyController } from './limitless-key.controller';
import { LimitlessKeyService } from './limitless-key.service';

@Module({
  imports: [AccountModule],
  controllers: [LimitlessKeyController],
  providers: [
    { provide: KeyCipher, useFactory: (config: GatewayConfig) => KeyCipher.fromHex(config.encryptionKey), inject: [GATEWAY_SETTINGS] },
    { provide: LIMITLESS_KEY_CHECKER, useClass: HttpLimitlessKeyChecker },
    LimitlessKeyService,
  ],
  exports: [LimitlessKeyService],
})
export class LimitlessKeyModule {}
