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
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: 'Each service asked over NATS: `{status: up|down|unreachable, message?, failing?: {check: reason}}`',
  })
  services!: Record<string, { status: string; message?: string; failing?: Record<string, string> }>;
  @ApiProperty({ description: "The scheduler's last completed tick (it plans the nightly jobs): `{at, ageSeconds}`, nulls before the first" })
  nightly!: { at: string | null; ageSeconds: number | null };
  @ApiProperty({ description: 'The last daily reconciliation: `{at, ageSeconds}`, nulls until the first since the scheduler started' })
  reconciliation!: { at: string | null; ageSeconds: number | null };
}
