import { Inject, Injectable } from '@nestjs/common';
import {
  IMPORT_ERROR_CODES,
  IMPORT_MAX_DAYS,
  type ImportRecordingReply,
  type ImportRecordingRequest,
  type SegmentReady,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { PlacementError, placeRecording, splitByLocalDay, type DayPart, type Placement } from '@giggles/recordings';
import type { IngestionConfig } from '../config/ingestion-config';
import type { Clock } from '../domain/token-bucket';
import type { IngestionLogger } from '../logging/logger';
import { CLOCK, IMPORT_OBJECTS, IMPORT_QUERIES, INGESTION_SETTINGS, LOGGER, PIPELINE_PUBLISHER, RECORDING_PROBE, RECORDING_REMUXER } from '../tokens';
import { displayFileName } from './import-file-name';
import { needsFaststart, type ImportObjects, type ImportQueries, type LocalCopy, type RecordingProbe, type RecordingRemuxer } from './import-ports';
import { ImportRefusal, isImportRefusal } from './import-refusal';
import type { PipelinePublisher } from './ports';

/** The job id of one local day's part of an import (migration 0013's import_job_id builds the same). */
export function importJobId(importId: string, localDate: string): string {
  return `import-${importId}-${localDate}`;
}

/**
 * One uploaded file (already in BUCKETS.audio) → an import: copy it to a temporary file (size
 * limit, sha256), check its header with the same decoder inference uses (absurd values fail here,
 * in kilobytes), read its length and creation time with ffprobe, place it on the user's timeline,
 * record it (a second copy of the same file is a duplicate), then publish one segment per local day
 * it covers, exactly like downloaded windows (trigger 'import'). A refused file is recorded with
 * its reason and its object deleted; the caller gets the record either way.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
    @Inject(IMPORT_OBJECTS) private readonly objects: ImportObjects,
    @Inject(RECORDING_PROBE) private readonly probe: RecordingProbe,
    @Inject(RECORDING_REMUXER) private readonly remuxer: RecordingRemuxer,
    @Inject(IMPORT_QUERIES) private readonly queries: ImportQueries,
    @Inject(PIPELINE_PUBLISHER) private readonly publisher: PipelinePublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
  ) {}

  async importRecording(request: ImportRecordingRequest): Promise<ImportRecordingReply> {
    const fileName = displayFileName(request.fileName);
    const log = this.logger.child({ userId: request.userId, audioObject: request.audioObject, source: request.source });
    const timezone = await this.queries.userTimezone(request.userId);
    if (!timezone) {
      await this.objects.remove(request.audioObject);
      throw QueryError.notFound(`no user ${request.userId}`);
    }

    let copy: LocalCopy;
    try {
      copy = await this.objects.copyToLocal(request.audioObject, this.config.importMaxBytes);
    } catch (error) {
      if (!isImportRefusal(error)) throw error;
      // Nothing was read, so there is no digest to record the refusal under: answer it only.
      await this.objects.remove(request.audioObject);
      log.info({ code: error.code, reason: error.message }, 'import refused before reading');
      throw new QueryError('invalid_request', `${fileName}: ${error.message}`);
    }

    try {
      const base = { userId: request.userId, fileName, sha256: copy.sha256, bytes: copy.bytes, source: request.source };
      let placement: Placement;
      let parts: DayPart[];
      try {
        ({ placement, parts } = await this.place(copy.path, fileName, timezone, request.start, request.audioObject));
      } catch (error) {
        const refusal = asRefusal(error);
        if (!refusal) throw error;
        const reply = await this.queries.begin({ ...base, error: { code: refusal.code, message: refusal.message } });
        await this.objects.remove(request.audioObject);
        log.info({ code: refusal.code, reason: refusal.message, duplicate: reply.duplicate, importId: reply.import.importId }, 'import refused');
        return reply;
      }

      const reply = await this.queries.begin({
        ...base,
        placedBy: placement.source,
        startMs: placement.startMs,
        endMs: placement.endMs,
        timezone,
        days: parts.map((p) => p.localDate),
      });
      if (reply.duplicate) {
        await this.objects.remove(request.audioObject);
        log.info({ importId: reply.import.importId, sha256: copy.sha256 }, 'import is a duplicate; nothing published');
        return reply;
      }
      await this.publishParts(request.userId, reply.import.importId, request.audioObject, copy.bytes, timezone, placement, parts);
      log.info(
        { importId: reply.import.importId, placedBy: placement.source, evidence: placement.evidence, startMs: placement.startMs, endMs: placement.endMs, days: parts.length },
        'import placed and published',
      );
      return reply;
    } finally {
      await copy.remove();
    }
  }

  private async place(path: string, fileName: string, timezone: string, start: string | undefined, object: string): Promise<{ placement: Placement; parts: DayPart[] }> {
    const facts = await this.probe.probe(path);
    // Inference streams the object into ffmpeg: an MP4 whose index is at its end cannot be read
    // that way, so the object is replaced by the same audio with the index first.
    if (needsFaststart(facts.format)) await this.objects.replaceFromFile(object, await this.remuxer.faststart(path));
    const maxMs = this.config.importMaxHours * 3_600_000;
    if (facts.durationMs > maxMs) {
      throw new ImportRefusal(IMPORT_ERROR_CODES.tooLong, `the recording is ${(facts.durationMs / 3_600_000).toFixed(1)} h long; at most ${this.config.importMaxHours} h are accepted`);
    }
    const placement = placeRecording({ fileName, durationMs: facts.durationMs, timezone, start, tags: facts.tags, nowMs: this.clock.now() });
    const parts = splitByLocalDay(placement.startMs, placement.endMs, timezone);
    if (parts.length > IMPORT_MAX_DAYS) {
      throw new ImportRefusal(IMPORT_ERROR_CODES.tooLong, `the recording covers ${parts.length} local days; at most ${IMPORT_MAX_DAYS} are accepted`);
    }
    return { placement, parts };
  }

  /**
   * One job and one segment per local day. Persistence deletes a segment's object once its result
   * is stored, so every part after the first gets its own copy — made before anything is published,
   * so no part can lose its audio to another part's cleanup.
   */
  private async publishParts(userId: string, importId: string, object: string, bytes: number, timezone: string, placement: Placement, parts: DayPart[]): Promise<void> {
    const objects = parts.map((part, i) => (i === 0 ? object : `${object}~${part.localDate}`));
    for (let i = 1; i < parts.length; i++) {
      await this.objects.duplicate(object, objects[i], { importId, localDate: parts[i].localDate });
    }
    const at = new Date(this.clock.now()).toISOString();
    for (const [i, part] of parts.entries()) {
      const jobId = importJobId(importId, part.localDate);
      await this.publisher.jobProgress({ jobId, userId, localDate: part.localDate, timezone, trigger: 'import', status: 'planned', windowsPlanned: 1, windowsSkipped: 0, at });
      const segment: SegmentReady = {
        jobId,
        userId,
        localDate: part.localDate,
        timezone,
        trigger: 'import',
        windowStartMs: part.startMs,
        windowEndMs: part.endMs,
        audioObject: objects[i],
        audioBytes: bytes,
        limitlessCalls: [],
        ...(parts.length > 1 ? { audioStartMs: placement.startMs } : {}),
      };
      await this.publisher.segmentReady(segment);
    }
  }
}

/** Placement problems and decoder refusals are the file's fault: recorded, not retried. */
function asRefusal(error: unknown): ImportRefusal | undefined {
  if (isImportRefusal(error)) return error;
  if (error instanceof PlacementError) {
    const code = error.code === 'INVALID_START' ? IMPORT_ERROR_CODES.invalidStart : error.code === 'INVALID_DURATION' ? IMPORT_ERROR_CODES.empty : IMPORT_ERROR_CODES.cannotPlace;
    return new ImportRefusal(code, error.message);
  }
  return undefined;
}
