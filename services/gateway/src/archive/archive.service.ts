/**
 * The user's audio archive as the web app sees it: the switch with the deployment's mode and
 * retention and the archive's size (persistence's archiveSummary / setArchive), and a day's
 * archived audio as a zip (archivedWindows, then readArchivedWindow chunk by chunk). Another
 * user's day is simply empty for this user: 404.
 */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ARCHIVE_CHUNK_MAX, QUERIES, type ArchivedWindow, type ArchiveSummaryReply } from '@giggles/contracts';
import { type Readable } from 'node:stream';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { UserTimezoneService } from '../laughter/user-timezone.service';
import { dayAudioZip } from './day-audio-zip';

export interface DayArchive {
  localDate: string;
  windows: number;
  bytes: number;
}

export interface DayAudio {
  fileName: string;
  windows: number;
  stream: Readable;
}

@Injectable()
export class ArchiveService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(UserTimezoneService) private readonly timezones: UserTimezoneService,
  ) {}

  summary(userId: string): Promise<ArchiveSummaryReply> {
    return this.queries.ask(QUERIES.archiveSummary, { userId });
  }

  setEnabled(userId: string, enabled: boolean): Promise<ArchiveSummaryReply> {
    return this.queries.ask(QUERIES.setArchive, { userId, enabled });
  }

  /** How much of one day is kept (zero windows when nothing is: the day page hides its download then). */
  async day(userId: string, localDate: string): Promise<DayArchive> {
    const { windows } = await this.queries.ask(QUERIES.archivedWindows, { userId, localDate });
    return { localDate, windows: windows.length, bytes: windows.reduce((sum, w) => sum + w.bytes, 0) };
  }

  /** 404 when nothing of that day is archived (or the deployment keeps no audio). */
  async dayAudio(userId: string, localDate: string): Promise<DayAudio> {
    const { windows } = await this.queries.ask(QUERIES.archivedWindows, { userId, localDate });
    if (windows.length === 0) throw new NotFoundException('No audio of this day is kept');
    const timezone = await this.timezones.of(userId);
    return {
      fileName: `giggles-audio-${localDate}.zip`,
      windows: windows.length,
      stream: dayAudioZip(localDate, timezone, windows, (window) => this.chunks(userId, window)),
    };
  }

  /** One window's bytes, ARCHIVE_CHUNK_MAX at a time, until its recorded size. */
  private async *chunks(userId: string, window: ArchivedWindow): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < window.bytes; ) {
      const reply = await this.queries.ask(QUERIES.readArchivedWindow, { userId, windowStartMs: window.windowStartMs, offset, length: ARCHIVE_CHUNK_MAX });
      const data = Buffer.from(reply.dataBase64, 'base64');
      if (data.length === 0) throw new Error(`archived window ${window.windowStartMs} ended at ${offset} of ${window.bytes} bytes`);
      yield data;
      offset += data.length;
    }
  }
}
