import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_KEY_STATES, type LimitlessKeyStatus, type UserKeyState, type UserProfileReply } from '@giggles/contracts';

/** The stored Limitless key as its owner may see it — never the key itself. */
export class KeyStatusDto implements LimitlessKeyStatus {
  @ApiProperty({ enum: USER_KEY_STATES })
  state!: UserKeyState;
  @ApiPropertyOptional({ format: 'date-time' })
  savedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  invalidSince?: string;
  @ApiPropertyOptional()
  invalidReason?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  lastUsedAt?: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  email!: string;
  @ApiProperty({ example: 'Europe/Berlin' })
  timezone!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: KeyStatusDto })
  key!: KeyStatusDto;
}

export class UserEnvelopeDto {
  @ApiProperty({ type: MeDto })
  user!: MeDto;
}

export function toMe(profile: UserProfileReply): MeDto {
  return { id: profile.userId, email: profile.email, timezone: profile.timezone, createdAt: profile.createdAt, key: toKeyStatus(profile.key) };
}

export function toKeyStatus(key: LimitlessKeyStatus): KeyStatusDto {
  const out: KeyStatusDto = { state: key.state };
  if (key.savedAt) out.savedAt = key.savedAt;
  if (key.invalidSince) out.invalidSince = key.invalidSince;
  if (key.invalidReason) out.invalidReason = key.invalidReason;
  if (key.lastUsedAt) out.lastUsedAt = key.lastUsedAt;
  return out;
}
