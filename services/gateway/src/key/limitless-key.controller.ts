import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Post, Put } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { LimitlessKeyStatus } from '@giggles/contracts';
import { KeyStatusDto, toKeyStatus } from '../account/dto/me.dto';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { KeyStatusWithLegacyDto, LegacyHasKeyDto, LegacyKeySavedDto, LegacySaveKeyDto, SaveKeyDto } from './dto/key.dto';
import { KEY_CHECK_UNREACHABLE_MESSAGE, KEY_REJECTED_MESSAGE, LimitlessKeyService } from './limitless-key.service';

@ApiTags('limitless-key')
@Controller('limitless-key')
export class LimitlessKeyController {
  constructor(@Inject(LimitlessKeyService) private readonly keys: LimitlessKeyService) {}

  @Get()
  @ApiOkResponse({ type: KeyStatusWithLegacyDto })
  async status(@CurrentUser() user: AuthenticatedUser): Promise<KeyStatusWithLegacyDto> {
    const key = await this.keys.status(user);
    return { ...toKeyStatus(key), has_key: key.state !== 'none', is_active: key.state === 'active' };
  }

  /** The original app's status route. */
  @Get('status')
  @ApiOkResponse({ type: LegacyHasKeyDto })
  async legacyStatus(@CurrentUser() user: AuthenticatedUser): Promise<LegacyHasKeyDto> {
    return { has_key: (await this.keys.status(user)).state === 'active' };
  }

  @Put()
  @ApiOkResponse({ type: KeyStatusDto, description: 'Checked with Limitless, encrypted and stored (replacing the old key)' })
  @ApiBadRequestResponse({ description: KEY_REJECTED_MESSAGE })
  @ApiBadGatewayResponse({ description: KEY_CHECK_UNREACHABLE_MESSAGE })
  async save(@CurrentUser() user: AuthenticatedUser, @Body() body: SaveKeyDto): Promise<KeyStatusDto> {
    return toKeyStatus((await this.keys.save(user, body.apiKey)).key);
  }

  /** The original app's route and body field (`api_key`), its reply fields. */
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LegacyKeySavedDto })
  @ApiBadRequestResponse({ description: KEY_REJECTED_MESSAGE })
  @ApiBadGatewayResponse({ description: KEY_CHECK_UNREACHABLE_MESSAGE })
  async legacySave(@CurrentUser() user: AuthenticatedUser, @Body() body: LegacySaveKeyDto): Promise<LegacyKeySavedDto> {
    const { key } = await this.keys.save(user, body.api_key);
    return legacySaved(user.userId, key);
  }

  /** Deletes the key only (the original also deleted every laugh here; DELETE /api/user-data does that now). */
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The key is gone (or there was none)' })
  async delete(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.keys.delete(user);
  }
}

function legacySaved(userId: string, key: LimitlessKeyStatus): LegacyKeySavedDto {
  const savedAt = key.savedAt ?? new Date().toISOString();
  return { id: userId, created_at: savedAt, updated_at: savedAt, is_active: key.state === 'active' };
}
