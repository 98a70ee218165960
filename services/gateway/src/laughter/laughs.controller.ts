import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ClipsService } from './clips.service';
import { sendClip } from './clip-response';
import { LaughIdPipe } from './dto/ids';
import { LaughViewDto } from './dto/laughter-replies.dto';
import { UpdateLaughDto } from './dto/laughter-requests.dto';
import type { LaughView } from './laugh-view';
import { LaughsService } from './laughs.service';
import { validated } from './dto/validated';

const ID_PARAM = { name: 'id', description: 'Laugh id (UUID)', format: 'uuid' };

@ApiTags('laughter')
@ApiUnauthorizedResponse({ description: 'No session' })
@ApiNotFoundResponse({ description: 'No such laugh of yours (another user’s id is 404 too)' })
@Controller('laughs')
export class LaughsController {
  constructor(
    @Inject(LaughsService) private readonly laughs: LaughsService,
    @Inject(ClipsService) private readonly clips: ClipsService,
  ) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Edit the notes and/or mark the laugh "not a laugh" (notLaugh: false undoes it)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: LaughViewDto })
  @ApiBadRequestResponse({ description: 'Bad id, notes too long or not text, notLaugh not a boolean, or nothing to change' })
  update(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe()) id: string, @Body(validated(UpdateLaughDto)) body: UpdateLaughDto): Promise<LaughView> {
    return this.laughs.update(user.userId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the laugh and its clip' })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe()) id: string): Promise<void> {
    await this.laughs.delete(user.userId, id);
  }

  @Get(':id/clip')
  @ApiOperation({ summary: "The laugh's clip as audio/wav, with HTTP Range (206/416) and ETag (304)" })
  @ApiParam(ID_PARAM)
  @ApiProduces('audio/wav')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range: bytes=a-b, bytes=a- or bytes=-n (several ranges get the whole clip)' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({ status: 200, description: 'The whole clip' })
  @ApiResponse({ status: 206, description: 'The requested range, with Content-Range' })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag the client holds' })
  @ApiResponse({ status: 416, description: 'The range starts past the end; Content-Range: bytes */size' })
  async clip(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new LaughIdPipe()) id: string,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await sendClip(res, await this.clips.open(user.userId, id, { range, ifNoneMatch }));
  }
}
