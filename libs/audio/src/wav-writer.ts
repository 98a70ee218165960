import { writeFile } from 'node:fs/promises';

/**
 * A 16-bit PCM mono WAV file image (44-byte header + samples), for laughter clips: small, and
 * playable by every browser. Samples are clipped to [-1, 1] and rounded to the nearest step; NaN becomes 0.
 */
export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
  const dataBytes = samples.length * 2;
  if (dataBytes + 36 > 0xffffffff) throw new RangeError('too many samples for one WAV file');
  const buffer = Buffer.alloc(44 + dataBytes);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buffer.writeUInt16LE(2, 32); // block align
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    // s ≥ 1 maps to 32767: 16-bit PCM has one more negative step than positive ones.
    const value = Number.isNaN(s) ? 0 : s >= 1 ? 32767 : s <= -1 ? -32768 : Math.min(32767, Math.round(s * 32768));
    buffer.writeInt16LE(value, 44 + 2 * i);
  }
  return buffer;
}

/** Writes `samples` as a 16-bit PCM mono WAV file (see encodeWav16). */
export async function writeWav16(path: string, samples: Float32Array, sampleRate: number): Promise<void> {
  await writeFile(path, encodeWav16(samples, sampleRate));
}
