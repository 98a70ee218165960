/**
 * Applies one validated result message: the database write (atomic, idempotent), then the
 * clips into clip storage, then the transient objects are deleted. Safe to run again for the
 * same message at any point of a crash: the write becomes a no-op that still reports which clips
 * belong where, clip puts overwrite the same paths, and deletes of gone objects are no-ops.
 */
import { Readable } from 'node:stream';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type JobProgress, type SegmentResult, type WindowOutcome } from '@giggles/contracts';
import { PermanentError } from '@giggles/messaging';
import { type ClipStore } from '../clips/clip-store';
import { DatabaseError } from '../database/database-error';
import { type JobWrite, ResultsRepository, type SegmentWrite, type WindowWrite } from '../repositories/results.repository';
import { isObjectNotFound, type TransientObjects } from './transient-objects';

export const CLIP_STORE = Symbol('CLIP_STORE');
export const TRANSIENT_OBJECTS = Symbol('TRANSIENT_OBJECTS');
export const WINDOW_ARCHIVER = Symbol('WINDOW_ARCHIVER');

/** Keeps a window's audio before it is deleted, when asked to (the audio archive, archive/). */
export interface WindowArchiver {
  archiveWindow(result: SegmentResult): Promise<string>;
  /** Remembers a window Limitless had no audio for (an 'empty' outcome) as an empty marker. */
  recordEmptyWindow(outcome: WindowOutcome): Promise<string>;
}

export interface WindowHandled extends WindowWrite {
  /** What the audio archive did with the outcome (absent without an archiver). */
  archive?: string;
}

export interface SegmentHandled extends SegmentWrite {
  clipsStored: number;
  /** Clip paths whose object was gone before it could be stored (expired by TTL). */
  clipsMissing: string[];
  /** What the audio archive did with the window's audio (absent without an archiver). */
  archive?: string;
}

@Injectable()
export class ResultsHandler {
  constructor(
    @Inject(ResultsRepository) private readonly results: ResultsRepository,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(TRANSIENT_OBJECTS) private readonly objects: TransientObjects,
    @Optional() @Inject(WINDOW_ARCHIVER) private readonly archiver?: WindowArchiver,
  ) {}

  async segmentResult(result: SegmentResult): Promise<SegmentHandled> {
    const write = await permanentIfBadData(() => this.results.recordSegmentResult(result));
    let clipsStored = 0;
    const clipsMissing: string[] = [];
    for (const stored of write.events) {
      if (!stored.clipObject || !stored.clipPath) continue;
      if (await this.storeClip(stored.clipObject, stored.clipPath)) clipsStored++;
      else clipsMissing.push(stored.clipPath);
    }
    // Every clip object of the result is transient, stored or not (duplicates are dropped).
    for (const event of result.events) {
      if (event.clipObject) await this.objects.deleteClip(event.clipObject);
    }
    // Before the audio object goes: the archive streams it from the bucket (a failure here
    // retries the whole message, the object still in place).
    const archive = this.archiver ? await this.archiver.archiveWindow(result) : undefined;
    await this.objects.deleteAudio(result.audioObject);
    return { ...write, clipsStored, clipsMissing, ...(archive ? { archive } : {}) };
  }

  async windowOutcome(outcome: WindowOutcome): Promise<WindowHandled> {
    const write = await permanentIfBadData(() => this.results.recordWindowOutcome(outcome));
    // After the outcome is durable: a failure here retries the message, whose write is then a
    // no-op and whose marker is written again (idempotent). Also on a redelivery (not applied).
    const archive = this.archiver ? await this.archiver.recordEmptyWindow(outcome) : undefined;
    return { ...write, ...(archive ? { archive } : {}) };
  }

  jobProgress(progress: JobProgress): Promise<JobWrite> {
    return permanentIfBadData(() => this.results.recordJobProgress(progress));
  }

  /** True when the clip is in the store; false when its object is gone and the store lacks it. */
  private async storeClip(object: string, path: string): Promise<boolean> {
    try {
      await this.clips.put(path, Readable.from(this.objects.readClip(object)));
      return true;
    } catch (error) {
      // A redelivery after the object was deleted: the first delivery stored it.
      if (isObjectNotFound(error)) return this.clips.exists(path);
      throw error;
    }
  }
}

/** Bad data (Postgres classes 22/23) fails the same way on every delivery: dead-letter it. */
async function permanentIfBadData<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DatabaseError && error.permanent) throw new PermanentError(error.message, { cause: error });
    throw error;
  }
}
