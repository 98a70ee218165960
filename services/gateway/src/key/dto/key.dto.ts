import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { KeyStatusDto } from '../../account/dto/me.dto';

/** Longest key accepted (Limitless keys are a few dozen characters; this only bounds the input). */
export const API_KEY_MAX_LENGTH = 512;
/** Printable ASCII without spaces: what can travel in an HTTP header. */
const API_KEY_PATTERN = /^[\x21-\x7e]+$/;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SaveKeyDto {
  @ApiProperty({ description: 'Your Limitless API key (never returned, logged or traced)', format: 'password', maxLength: API_KEY_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'apiKey must not be empty' })
  @MaxLength(API_KEY_MAX_LENGTH)
  @Matches(API_KEY_PATTERN, { message: 'apiKey must be printable characters without spaces' })
  apiKey!: string;
}

/** The original app's body: `{api_key}`. */
export class LegacySaveKeyDto {
  @ApiProperty({ description: 'Your Limitless API key', format: 'password', maxLength: API_KEY_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'api_key must not be empty' })
  @MaxLength(API_KEY_MAX_LENGTH)
  @Matches(API_KEY_PATTERN, { message: 'api_key must be printable characters without spaces' })
  api_key!: string;
}

/** GET /api/limitless-key: the status plus the original app's `has_key`/`is_active`. */
export class KeyStatusWithLegacyDto extends KeyStatusDto {
  @ApiProperty({ description: 'Original app: a key is stored (active or not)' })
  has_key!: boolean;
  @ApiProperty({ description: 'Original app: the stored key is active' })
  is_active!: boolean;
}

/** The original app's reply to POST /api/limitless-key. */
export class LegacyKeySavedDto {
  @ApiProperty({ description: 'Identifies the stored key: one key per user, so the user id' })
  id!: string;
  @ApiProperty({ format: 'date-time' })
  created_at!: string;
  @ApiPropertyOptional({ format: 'date-time' })
  updated_at?: string;
  @ApiProperty()
  is_active!: boolean;
}

export class LegacyHasKeyDto {
  @ApiProperty()
  has_key!: boolean;
}
