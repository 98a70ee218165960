import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, IsTimeZone, MaxLength, MinLength } from 'class-validator';

/** Bounds of the account inputs (the password's are Supabase Auth's: bcrypt reads 72 bytes). */
export const ACCOUNT_LIMITS = { emailMax: 254, passwordMin: 8, passwordMax: 72, timezoneMax: 64 } as const;

export class CreateAccountDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: ACCOUNT_LIMITS.emailMax })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(ACCOUNT_LIMITS.emailMax)
  email!: string;

  @ApiProperty({ minLength: ACCOUNT_LIMITS.passwordMin, maxLength: ACCOUNT_LIMITS.passwordMax, format: 'password' })
  @IsString()
  @MinLength(ACCOUNT_LIMITS.passwordMin, { message: `password must be at least ${ACCOUNT_LIMITS.passwordMin} characters` })
  @MaxLength(ACCOUNT_LIMITS.passwordMax)
  password!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone (the browser’s)' })
  @IsString()
  @MaxLength(ACCOUNT_LIMITS.timezoneMax)
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone!: string;
}

export class SignInDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(ACCOUNT_LIMITS.emailMax)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(ACCOUNT_LIMITS.passwordMax)
  password!: string;
}

export class PasswordResetDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(ACCOUNT_LIMITS.emailMax)
  email!: string;
}

export class UpdateMeDto {
  @ApiProperty({ example: 'America/New_York', description: 'IANA time zone; applies to days not processed yet' })
  @IsString()
  @MaxLength(ACCOUNT_LIMITS.timezoneMax)
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone!: string;
}
