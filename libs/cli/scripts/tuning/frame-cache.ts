/**
 * Runs YAMNet once per recording and keeps every frame's 521 class scores and 1024-d embedding
 * on disk (outside the repository), so detection settings and frame scorers can be compared
 * without running the model again. Frames come from the same front end as `giggles analyze`
 * (openAudio: decode + resample to 16 kHz → LogMelPatcher → YamnetModel) with the network run on
 * every patch, i.e. `giggles analyze --exact` (coarse-to-fine inference fills some patches from
 * their neighbours instead).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogMelPatcher, openAudio, YAMNET_SAMPLE_RATE } from '@giggles/audio';
import { type DetectionFrame } from '@giggles/detection';
import { EMBEDDING_SIZE, NUM_CLASSES, PATCH_SIZE, type YamnetModel } from '@giggles/yamnet';

export interface CachedRecording {
  name: string;
  file: string;
  frames: number;
  durationS: number;
  /** frames × 521, frame-major. */
  scores: Float32Array;
  /** frames × 1024, frame-major. */
  embeddings: Float32Array;
}

export const DEFAULT_CACHE_DIR = path.join(tmpdir(), 'giggles-tune-cache');

/** A recording's frames as DetectionFrames (views into the cache, not copies). */
export function framesOf(rec: CachedRecording, withEmbeddings = false): DetectionFrame[] {
  return Array.from({ length: rec.frames }, (_, i) => ({
    index: i,
    scores: rec.scores.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES),
    embedding: withEmbeddings ? rec.embeddings.subarray(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE) : undefined,
  }));
}

async function keyOf(file: string, modelKey: string): Promise<string> {
  const s = await stat(file);
  return createHash('sha256').update(`${path.resolve(file)}|${s.size}|${s.mtimeMs}|${modelKey}`).digest('hex').slice(0, 16);
}

function f32(buf: Buffer): Float32Array {
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}

/** The cached frames of `file`, computing and storing them first if needed. */
/**
 * `modelKey` identifies the model (e.g. its path, size and mtime): a different model gets a
 * different cache entry.
 */
export async function loadOrCompute(file: string, model: () => Promise<YamnetModel>, modelKey: string, cacheDir = DEFAULT_CACHE_DIR): Promise<CachedRecording> {
  const name = path.basename(file).replace(/\.[^.]+$/, '');
  const base = path.join(cacheDir, `${name}-${await keyOf(file, modelKey)}`);
  if (existsSync(`${base}.json`)) {
    const meta = JSON.parse(await readFile(`${base}.json`, 'utf8')) as { frames: number; durationS: number };
    return { name, file, ...meta, scores: f32(await readFile(`${base}.scores.f32`)), embeddings: f32(await readFile(`${base}.emb.f32`)) };
  }
  const yamnet = await model();
  const patcher = new LogMelPatcher();
  const patches: Float32Array[] = [];
  const opened = await openAudio(file);
  let samples = 0;
  try {
    for await (const chunk of opened.samples) {
      samples += chunk.length;
      patches.push(...patcher.push(chunk));
    }
    patches.push(...patcher.end());
  } finally {
    await opened.close();
  }
  const frames = patches.length;
  const input = new Float32Array(frames * PATCH_SIZE);
  patches.forEach((p, i) => input.set(p, i * PATCH_SIZE));
  const output = await yamnet.run(input, frames);
  const rec: CachedRecording = {
    name,
    file,
    frames,
    durationS: samples / YAMNET_SAMPLE_RATE,
    scores: output.scores,
    embeddings: output.embeddings,
  };
  await mkdir(cacheDir, { recursive: true });
  await writeFile(`${base}.scores.f32`, new Uint8Array(rec.scores.buffer));
  await writeFile(`${base}.emb.f32`, new Uint8Array(rec.embeddings.buffer));
  await writeFile(`${base}.json`, JSON.stringify({ frames, durationS: rec.durationS, file: path.resolve(file), modelKey, modelVersion: yamnet.version }));
  return rec;
}
