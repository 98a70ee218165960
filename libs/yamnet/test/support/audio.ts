import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test audio made with the machine's espeak-ng and sox, returned as 16 kHz mono float32 samples.
 * sox writes raw little-endian float32 so no WAV parser is needed here.
 */
function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'yamnet-audio-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readRawFloat32(path: string): Float32Array {
  const bytes = readFileSync(path);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

const RAW_16K_MONO = ['-r', '16000', '-c', '1', '-b', '32', '-e', 'floating-point', '-t', 'raw'];

/** espeak-ng speech (22.05 kHz WAV) resampled by sox to 16 kHz mono. */
export function speech(text: string): Float32Array {
  return withTempDir((dir) => {
    const wav = join(dir, 'speech.wav');
    const raw = join(dir, 'speech.f32');
    execFileSync('espeak-ng', ['-w', wav, text], { stdio: 'pipe' });
    execFileSync('sox', [wav, ...RAW_16K_MONO, raw], { stdio: 'pipe' });
    return readRawFloat32(raw);
  });
}

/** A sine tone synthesised by sox. */
export function sine(frequencyHz: number, seconds: number, volume = 0.5): Float32Array {
  return withTempDir((dir) => {
    const raw = join(dir, 'sine.f32');
    execFileSync('sox', ['-n', ...RAW_16K_MONO, raw, 'synth', String(seconds), 'sine', String(frequencyHz), 'vol', String(volume)], { stdio: 'pipe' });
    return readRawFloat32(raw);
  });
}

/** Digital silence. */
export function silence(seconds: number): Float32Array {
  return new Float32Array(Math.round(seconds * 16000));
}
