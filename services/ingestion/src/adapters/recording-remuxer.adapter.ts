import { execFile } from 'node:child_process';
import { Inject, Injectable } from '@nestjs/common';
import { findFfmpeg } from '@giggles/audio';
import { IMPORT_ERROR_CODES } from '@giggles/contracts';
import type { IngestionConfig } from '../config/ingestion-config';
import type { RecordingRemuxer } from '../services/import-ports';
import { ImportRefusal } from '../services/import-refusal';
import { INGESTION_SETTINGS } from '../tokens';

/** ffmpeg's stderr kept for a refusal's reason. */
const MAX_STDERR = 64 * 1024;

/** `ffmpeg -i in -map 0:a:0 -c copy -movflags +faststart out.m4a`: the first audio stream, index first, no re-encoding. */
@Injectable()
export class FfmpegRecordingRemuxer implements RecordingRemuxer {
  constructor(@Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig) {}

  async faststart(path: string): Promise<string> {
    const ffmpeg = await findFfmpeg(this.config.ffmpegPath);
    if (!ffmpeg) throw new Error(`ffmpeg not found (IMPORT_FFMPEG_PATH=${this.config.ffmpegPath}): install ffmpeg`);
    const out = `${path}.faststart.m4a`;
    await new Promise<void>((resolve, reject) => {
      execFile(
        ffmpeg,
        ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', path, '-map', '0:a:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', out],
        // Copying packets is quick; a file ffprobe read in time is remuxed in a similar time.
        { timeout: this.config.importProbeTimeoutMs * 4, maxBuffer: MAX_STDERR, killSignal: 'SIGKILL' },
        (error, _stdout, stderr) => {
          if (!error) return resolve();
          const reason = String(stderr).split('\n').find((line) => line.trim()) ?? error.message;
          reject(new ImportRefusal(IMPORT_ERROR_CODES.corrupt, `the MP4/M4A file cannot be read to the end: ${reason.slice(0, 300)}`));
        },
      );
    });
    return out;
  }
}
