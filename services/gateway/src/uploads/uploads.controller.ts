import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { ImportRecord, ImportRecordingReply } from '@giggles/contracts';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { LaughIdPipe } from '../laughter/dto/ids';
import { validated } from '../laughter/dto/validated';
import { ImportsListDto, ImportViewDto, UploadCreateDto, UploadFinishDto, UploadFinishedDto, UploadStateDto } from './dto/uploads.dto';
import { UploadsService, type UploadView } from './uploads.service';

const OFFSET = /^\d{1,15}$/;

@ApiTags('uploads')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller()
export class UploadsController {
  constructor(@Inject(UploadsService) private readonly uploads: UploadsService) {}

  @Post('uploads')
  @ApiOperation({ summary: 'Start uploading a recording', description: 'Declares the name and size; the bytes follow in PUTs. Any format ffmpeg decodes. No Limitless key needed.' })
  @ApiCreatedResponse({ type: UploadStateDto })
  @ApiPayloadTooLargeResponse({ description: 'Larger than UPLOAD_MAX_BYTES' })
  create(@CurrentUser() user: AuthenticatedUser, @Body(validated(UploadCreateDto)) body: UploadCreateDto): Promise<UploadView> {
    return this.uploads.create(user.userId, body.fileName, body.size);
  }

  @Get('uploads/:id')
  @ApiOperation({ summary: 'How far an upload got', description: '`offset` is where the next PUT starts (after a reload: pick the same file again and go on from here).' })
  @ApiOkResponse({ type: UploadStateDto })
  @ApiNotFoundResponse({ description: 'No such upload of yours' })
  state(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe('upload id must be a UUID')) id: string): Promise<UploadView> {
    return this.uploads.state(user.userId, id);
  }

  @Put('uploads/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the next chunk', description: 'Body: raw bytes (application/octet-stream) starting at `offset`, at most `maxChunkBytes`.' })
  @ApiConsumes('application/octet-stream')
  @ApiQuery({ name: 'offset', description: 'Byte position of the chunk: must equal the bytes received so far' })
  @ApiOkResponse({ type: UploadStateDto })
  @ApiConflictResponse({ description: 'Wrong offset: the body says where the upload continues' })
  @ApiPayloadTooLargeResponse({ description: 'The chunk is too big or goes past the declared size' })
  append(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new LaughIdPipe('upload id must be a UUID')) id: string,
    @Query('offset') offset: string,
    @Headers('content-length') contentLength: string | undefined,
    @Req() req: Request,
  ): Promise<UploadView> {
    if (typeof offset !== 'string' || !OFFSET.test(offset)) throw new BadRequestException('offset must be a byte position');
    const length = contentLength !== undefined && OFFSET.test(contentLength) ? Number(contentLength) : undefined;
    return this.uploads.append(user.userId, id, Number(offset), length, req);
  }

  @Post('uploads/:id/import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import a fully uploaded recording',
    description: 'Placed on your timeline from `start`, else its creation time, else its name; then processed like downloaded audio. A refused file comes back with state `rejected` and the reason; the same file twice with `duplicate: true`.',
  })
  @ApiOkResponse({ type: UploadFinishedDto })
  @ApiConflictResponse({ description: 'Not all bytes received yet' })
  @ApiBadRequestResponse({ description: 'The upload could not be read' })
  finish(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new LaughIdPipe('upload id must be a UUID')) id: string,
    @Body(validated(UploadFinishDto)) body: UploadFinishDto,
  ): Promise<ImportRecordingReply> {
    return this.uploads.finish(user.userId, id, body.start);
  }

  @Delete('uploads/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Abandon an upload (its bytes are deleted)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such upload of yours' })
  async abandon(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe('upload id must be a UUID')) id: string): Promise<void> {
    await this.uploads.abandon(user.userId, id);
  }

  @Get('imports')
  @ApiOperation({ summary: 'My imported recordings, newest first', description: 'State: processing, done (laughs per local day), failed or rejected (with the reason).' })
  @ApiOkResponse({ type: ImportsListDto })
  list(@CurrentUser() user: AuthenticatedUser): Promise<{ imports: ImportRecord[] }> {
    return this.uploads.list(user.userId, 100);
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'One imported recording' })
  @ApiOkResponse({ type: ImportViewDto })
  @ApiNotFoundResponse({ description: 'No such import of yours' })
  one(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe('import id must be a UUID')) id: string): Promise<ImportRecord> {
    return this.uploads.one(user.userId, id);
  }
}
