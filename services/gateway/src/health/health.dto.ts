import { ApiProperty } from '@nestjs/swagger';

export class LegacyHealthDto {
  @ApiProperty({ enum: ['healthy', 'unhealthy'] })
  status!: 'healthy' | 'unhealthy';
  @ApiProperty()
  message!: string;
  @ApiProperty({ format: 'date-time' })
  timestamp!: string;
  @ApiProperty()
  uptimeS!: number;
  @ApiProperty({ type: [String], description: 'Readiness checks that are down' })
  notReady!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Each readiness check: up or down' })
  checks!: Record<string, string>;
}
