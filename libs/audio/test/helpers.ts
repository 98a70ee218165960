import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The shared data folder (recordings, models) beside the repository, or $GIGGLES_SHARED_DIR. */
export const SHARED_DIR = process.env.GIGGLES_SHARED_DIR ?? resolve(__dirname, '../../../..', 'shared');
export const EVAL_DIR = join(SHARED_DIR, 'eval');
export const HAVE_EVAL = existsSync(join(EVAL_DIR, 'long_d1.ogg'));
if (!HAVE_EVAL) {
  console.warn(`[audio tests] ${EVAL_DIR} not found: tests on the real recordings are skipped (set GIGGLES_SHARED_DIR)`);
}

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
}

export const HAVE_FFMPEG = hasTool('ffmpeg');
export const HAVE_SOX = hasTool('sox');

export function tempDir(prefix = 'giggles-audio-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function sine(frequency: number, sampleRate: number, length: number, amplitude = 0.5, phase = 0): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate + phase);
  return out;
}

/** Amplitude of the `frequency` component of x[from..to) (single-bin DFT with a Hann window). */
export function toneAmplitude(x: Float32Array, frequency: number, sampleRate: number, from = 0, to = x.length): number {
  let re = 0;
  let im = 0;
  let weight = 0;
  const n = to - from;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    const v = x[from + i] * w;
    const angle = (2 * Math.PI * frequency * (from + i)) / sampleRate;
    re += v * Math.cos(angle);
    im -= v * Math.sin(angle);
    weight += w;
  }
  return (2 * Math.hypot(re, im)) / weight;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

export async function collect(samples: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let length = 0;
  for await (const part of samples) {
    parts.push(part);
    length += part.length;
  }
  const out = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Yields `bytes` in pieces of the given sizes (cycled), to exercise chunk boundaries. */
export async function* chunked(bytes: Uint8Array, sizes: number[] | number): AsyncGenerator<Uint8Array> {
  const list = Array.isArray(sizes) ? sizes : [sizes];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = list[i % list.length];
    yield bytes.slice(offset, offset + size);
    offset += size;
  }
}

/** Catches the rejection of `promise` (or the error thrown while iterating) for assertions. */
export async function caught(run: () => Promise<unknown>): Promise<Error & { code?: string; decodedSeconds?: number }> {
  try {
    await run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}
