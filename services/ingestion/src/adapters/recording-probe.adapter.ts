import { execFile } from 'node:child_process';
import { Inject, Injectable } from '@nestjs/common';
import { findFfmpeg, isAudioDecodeError, openAudio } from '@giggles/audio';
import { IMPORT_ERROR_CODES } from '@giggles/contracts';
import type { IngestionConfig } from '../config/ingestion-config';
import type { RecordingFacts, RecordingProbe } from '../services/import-ports';
import { ImportRefusal } from '../services/import-refusal';
import { INGESTION_SETTINGS } from '../tokens';

/** ffprobe prints a few kilobytes of JSON; anything bigger is not a recording worth reading. */
const MAX_PROBE_OUTPUT = 1024 * 1024;

/**
 * Two looks at an imported file before anything is published:
 * 1. the decoder inference uses (libs/audio openAudio) opens it and decodes its first chunk, so a
 *    header with absurd values (a WAV declaring 4 GHz) is refused here by libs/audio/limits.ts,
 *    in kilobytes of memory, with the decoder's own words;
 * 2. ffprobe reads its length and tags (creation time) — every format ffmpeg knows.
 */
@Injectable()
export class FfprobeRecordingProbe implements RecordingProbe {
  constructor(@Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig) {}

  async probe(path: string): Promise<RecordingFacts> {
    await this.checkDecodes(path);
    const ffprobe = await findFfmpeg(this.config.ffprobePath);
    if (!ffprobe) throw new Error(`ffprobe not found (IMPORT_FFPROBE_PATH=${this.config.ffprobePath}): install ffmpeg`);
    const json = await this.run(ffprobe, path);
    return factsFrom(json);
  }

  private async checkDecodes(path: string): Promise<void> {
    try {
      const opened = await openAudio(path);
      try {
        const first = await opened.samples[Symbol.asyncIterator]().next();
        if (first.done) throw new ImportRefusal(IMPORT_ERROR_CODES.empty, 'the file holds no audio');
      } finally {
        await opened.close();
      }
    } catch (error) {
      if (!isAudioDecodeError(error)) throw error;
      switch (error.code) {
        case 'NOT_AUDIO':
        case 'UNSUPPORTED_CODEC':
          throw new ImportRefusal(IMPORT_ERROR_CODES.unsupported, `not a supported audio file: ${error.message}`);
        case 'EMPTY':
          throw new ImportRefusal(IMPORT_ERROR_CODES.empty, `the file holds no audio: ${error.message}`);
        case 'FFMPEG_MISSING':
          throw error; // the machine's fault, not the file's: transient
        default:
          throw new ImportRefusal(IMPORT_ERROR_CODES.corrupt, `the audio is damaged: ${error.message}`);
      }
    }
  }

  private run(ffprobe: string, path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      execFile(
        ffprobe,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'a:0', path],
        { timeout: this.config.importProbeTimeoutMs, maxBuffer: MAX_PROBE_OUTPUT, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          if (error) {
            const reason = String(stderr).split('\n').find((line) => line.trim()) ?? error.message;
            reject(new ImportRefusal(IMPORT_ERROR_CODES.corrupt, `ffprobe cannot read the file: ${reason.slice(0, 300)}`));
            return;
          }
          try {
            resolve(JSON.parse(String(stdout)));
          } catch {
            reject(new ImportRefusal(IMPORT_ERROR_CODES.corrupt, 'ffprobe gave no readable description of the file'));
          }
        },
      );
    });
  }
}

interface FfprobeJson {
  format?: { duration?: string; format_name?: string; tags?: Record<string, unknown> };
  streams?: { duration?: string; tags?: Record<string, unknown> }[];
}

/** Length (the audio stream's, else the container's) and tags (the container's over the stream's). */
export function factsFrom(json: unknown): RecordingFacts {
  const probe = (json ?? {}) as FfprobeJson;
  const stream = probe.streams?.[0];
  if (!stream) throw new ImportRefusal(IMPORT_ERROR_CODES.unsupported, 'the file has no audio stream');
  const seconds = Number(stream.duration ?? probe.format?.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ImportRefusal(IMPORT_ERROR_CODES.empty, 'the file has no readable length');
  const tags: Record<string, string> = {};
  for (const source of [stream.tags, probe.format?.tags]) {
    for (const [key, value] of Object.entries(source ?? {})) if (typeof value === 'string') tags[key] = value;
  }
  return { durationMs: Math.round(seconds * 1000), tags, format: probe.format?.format_name ?? 'unknown' };
}
