import { Global, Module } from '@nestjs/common';
import { NatsConnectionAdapter } from './nats-connection.adapter';
import { NatsQueryClient } from './nats-query.client';

/** The NATS connection and the query client, injectable from any module. */
@Global()
@Module({
  providers: [NatsConnectionAdapter, NatsQueryClient],
  exports: [NatsConnectionAdapter, NatsQueryClient],
})
export class NatsModule {}
