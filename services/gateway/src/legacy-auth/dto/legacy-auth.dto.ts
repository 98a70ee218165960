import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';
import { ACCOUNT_LIMITS } from '../../account/dto/account-requests.dto';

/** The original app's register body `{email, password}` (a zone may be added; default the server's). */
export class LegacyRegisterDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(ACCOUNT_LIMITS.emailMax)
  email!: string;

  @ApiProperty({ format: 'password', minLength: ACCOUNT_LIMITS.passwordMin })
  @IsString()
  @MinLength(ACCOUNT_LIMITS.passwordMin, { message: `password must be at least ${ACCOUNT_LIMITS.passwordMin} characters` })
  @MaxLength(ACCOUNT_LIMITS.passwordMax)
  password!: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_LIMITS.timezoneMax)
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone?: string;
}

/** The original app's UserResponse. */
export class LegacyUserDto {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  email!: string;
  @ApiProperty({ format: 'date-time' })
  created_at!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  updated_at!: string | null;
  @ApiProperty()
  is_active!: boolean;
  @ApiProperty()
  mfa_enabled!: boolean;
}

class LegacyLoginUserDto {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  email!: string;
}

export class LegacyLoginReplyDto {
  @ApiProperty()
  access_token!: string;
  @ApiProperty({ enum: ['bearer'] })
  token_type!: 'bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' })
  expires_in!: number;
  @ApiProperty({ description: 'For POST /api/session/refresh-style renewal by API clients (not in the original reply)' })
  refresh_token!: string;
  @ApiProperty({ type: LegacyLoginUserDto })
  user!: LegacyLoginUserDto;
}

export class LegacyMeDto {
  @ApiProperty()
  user_id!: string;
  @ApiProperty()
  email!: string;
  @ApiProperty()
  is_authenticated!: boolean;
}
