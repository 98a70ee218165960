import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError, openAudio } from '../src';
import { buildWav, encodePcm } from './wav-builder';
import { EVAL_DIR, HAVE_EVAL, HAVE_FFMPEG, HAVE_SOX, caught, chunked, collect, ffmpeg, sine, tempDir, toneAmplitude } from './helpers';
import { execFileSync } from 'node:child_process';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  return path;
};
const NO_FFMPEG = { ffmpegPath: null };

describe('openAudio: inputs it cannot decode', () => {
  it('NOT_FOUND for a missing file or a directory', async () => {
    const missing = await caught(() => openAudio(join(tmp.dir, 'nope.ogg')));
    expect(missing).toBeInstanceOf(AudioDecodeError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/nope\.ogg does not exist/) });
    expect(await caught(() => openAudio(tmp.dir))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('EMPTY for a zero-byte file or stream', async () => {
    expect(await caught(() => openAudio(file('empty.wav', '')))).toMatchObject({ code: 'EMPTY', message: expect.stringMatching(/empty/) });
    expect(await caught(() => openAudio(chunked(new Uint8Array(0), 1)))).toMatchObject({ code: 'EMPTY' });
  });

  it('EMPTY for a valid WAV with no samples', async () => {
    const path = file('nosamples.wav', buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: new Uint8Array(0) }));
    const { samples } = await openAudio(path);
    expect(await caught(() => collect(samples))).toMatchObject({ code: 'EMPTY' });
  });

  it('NOT_AUDIO for a text file (without running ffmpeg on it)', async () => {
    const path = file('notes.txt', 'shopping list\n- eggs\n- milk\n');
    const error = await caught(() => openAudio(path));
    expect(error).toMatchObject({ code: 'NOT_AUDIO', message: expect.stringMatching(/text file, not audio/) });
    // Even an HLS playlist (which ffmpeg would follow to other files or URLs) is refused as text.
    expect(await caught(() => openAudio(file('list.m3u8', '#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n')))).toMatchObject({ code: 'NOT_AUDIO' });
  });

  it.skipIf(!HAVE_FFMPEG)('NOT_AUDIO for binary data ffmpeg does not recognise', async () => {
    const noise = new Uint8Array(5000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const error = await caught(() => openAudio(file('noise.bin', noise)));
    expect(error).toMatchObject({ code: 'NOT_AUDIO' });
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('FFMPEG_MISSING for another format when ffmpeg is unavailable, saying how to get it', async () => {
    const mp3ish = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10, ...new Uint8Array(100)]);
    for (const ffmpegPath of [null, '/nonexistent/ffmpeg']) {
      const error = await caught(() => openAudio(file('song.mp3', mp3ish), { ffmpegPath }));
      expect(error).toMatchObject({ code: 'FFMPEG_MISSING' });
      expect(error.message).toMatch(/MP3 audio; decoding it needs ffmpeg: install ffmpeg/);
    }
  });

  it('TRUNCATED for a WAV cut inside its data, after the samples that are there', async () => {
    const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: encodePcm([sine(500, 16_000, 16_000)], 16) });
    const path = file('cut.wav', wav.subarray(0, 44 + 2 * 12_000 + 1));
    const { samples } = await openAudio(path);
    const received: Float32Array[] = [];
    const error = await caught(async () => {
      for await (const s of samples) received.push(s);
    });
    expect(error).toMatchObject({ code: 'TRUNCATED', decodedSeconds: 0.75 });
    expect(received.reduce((n, s) => n + s.length, 0)).toBe(12_000);
    expect(error.message).toMatch(/WAV file is truncated.*after 0\.75 s of audio/);
  });

  it('TRUNCATED for a WAV that ends before its fmt chunk', async () => {
    const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: new Uint8Array(100) });
    expect(await caught(() => openAudio(file('header.wav', wav.subarray(0, 20))))).toMatchObject({ code: 'TRUNCATED' });
  });

  describe('a WAV with a codec we do not decode natively (IMA ADPCM)', () => {
    let adpcm: string;
    beforeAll(() => {
      adpcm = join(tmp.dir, 'adpcm.wav');
      if (HAVE_FFMPEG) ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=700:sample_rate=22050:duration=1.5', '-c:a', 'adpcm_ima_wav', adpcm);
    });

    it.skipIf(!HAVE_FFMPEG)('UNSUPPORTED_CODEC without ffmpeg', async () => {
      const error = await caught(() => openAudio(adpcm, NO_FFMPEG));
      expect(error).toMatchObject({ code: 'UNSUPPORTED_CODEC' });
      expect(error.message).toMatch(/WAV codec IMA ADPCM \(format tag 0x0011\), which needs ffmpeg: install ffmpeg/);
    });

    it.skipIf(!HAVE_FFMPEG)('decoded through ffmpeg when it is available, from a path or a stream', async () => {
      const { info, samples } = await openAudio(adpcm);
      expect(info).toMatchObject({ container: 'ffmpeg', sourceSampleRate: 22_050, channels: 1 });
      const pcm = await collect(samples);
      // 1.5 s, plus the encoder's padding of the last ADPCM block (up to 2041 samples at 22.05 kHz).
      expect(pcm.length).toBeGreaterThanOrEqual(24_000);
      expect(pcm.length).toBeLessThan(24_000 + 1500);
      expect(toneAmplitude(pcm, 700, 16_000, 1000, pcm.length - 1000)).toBeCloseTo(0.125, 1);
      const { readFileSync } = await import('node:fs');
      const streamed = await collect((await openAudio(chunked(readFileSync(adpcm), 1000))).samples);
      expect(streamed).toEqual(pcm);
    });
  });
});

describe('openAudio: WAV', () => {
  it('resamples to 16 kHz with the exact duration', async () => {
    const n = 44_100 * 2 + 17;
    const wav = buildWav({ channels: 2, sampleRate: 44_100, bitsPerSample: 16, data: encodePcm([sine(1000, 44_100, n), sine(1000, 44_100, n)], 16) });
    const { info, samples } = await openAudio(file('cd.wav', wav));
    expect(info).toEqual({ container: 'wav', sourceSampleRate: 44_100, channels: 2, codec: 'PCM (format tag 0x0001)' });
    const pcm = await collect(samples);
    expect(pcm.length).toBe(Math.ceil((n * 16_000) / 44_100));
    expect(toneAmplitude(pcm, 1000, 16_000, 500, pcm.length - 500)).toBeCloseTo(0.5, 3);
  });

  it('passes 16 kHz mono through untouched, from a path or any chunking of a stream', async () => {
    const signal = sine(300, 16_000, 20_000);
    const wav = buildWav({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, data: encodePcm([signal], 16), before: [{ id: 'LIST', body: new Uint8Array(5) }] });
    const fromPath = await collect((await openAudio(file('plain.wav', wav), { chunkBytes: 333 })).samples);
    expect(fromPath.length).toBe(20_000);
    for (let i = 0; i < signal.length; i++) expect(Math.abs(fromPath[i] - signal[i])).toBeLessThanOrEqual(2 ** -15);
    expect(await collect((await openAudio(chunked(wav, [1, 2, 3, 50, 999]))).samples)).toEqual(fromPath);
  });

  it.skipIf(!HAVE_SOX)('decodes sox-written 24-bit and float WAVs like sox reads them', async () => {
    const src = join(tmp.dir, 'sox-src.wav');
    execFileSync('sox', ['-n', '-r', '48000', '-c', '2', '-b', '24', src, 'synth', '0.5', 'sine', '440', 'sine', '660', 'gain', '-6']);
    const float = join(tmp.dir, 'sox-float.wav');
    execFileSync('sox', [src, '-e', 'floating-point', '-b', '32', float]);
    const a = await collect((await openAudio(src)).samples);
    const b = await collect((await openAudio(float)).samples);
    expect(a.length).toBe(8000);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it.skipIf(!HAVE_EVAL)('decodes the 16 kHz eval clips to their exact length', async () => {
    const path = join(EVAL_DIR, 'wav', 'babysounds_laugh.wav');
    const { statSync } = await import('node:fs');
    const { info, samples } = await openAudio(path);
    expect(info).toMatchObject({ container: 'wav', sourceSampleRate: 16_000, channels: 1 });
    const pcm = await collect(samples);
    expect(pcm.length).toBeGreaterThan(0);
    expect(pcm.length * 2).toBeLessThanOrEqual(statSync(path).size - 44);
  });
});

describe.skipIf(!HAVE_FFMPEG)('openAudio: other formats through ffmpeg', () => {
  it('decodes MP3 (stereo 44.1 kHz) to 16 kHz mono', async () => {
    const mp3 = join(tmp.dir, 'tone.mp3');
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=1200:sample_rate=44100:duration=2', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', mp3);
    const { info, samples } = await openAudio(mp3);
    expect(info).toMatchObject({ container: 'ffmpeg', sourceSampleRate: 44_100, channels: 2, codec: 'mp3' });
    const pcm = await collect(samples);
    expect(pcm.length).toBe(32_000);
    expect(toneAmplitude(pcm, 1200, 16_000, 2000, 30_000)).toBeCloseTo(0.125, 1);
    expect(toneAmplitude(pcm, 2400, 16_000, 2000, 30_000)).toBeLessThan(0.005);
  });

  it('rejects a known format whose content is garbage', async () => {
    const bytes = new Uint8Array(4000);
    bytes.set([0x66, 0x4c, 0x61, 0x43, 0, 0, 0, 34]); // "fLaC" then a broken STREAMINFO block
    bytes.fill(0xee, 8);
    const error = await caught(async () => collect((await openAudio(file('broken.flac', bytes))).samples));
    // ffmpeg 5 decodes nothing and exits cleanly (→ EMPTY); other versions refuse the header (→ CORRUPT).
    expect(['CORRUPT', 'EMPTY']).toContain(error.code);
    expect(error).toBeInstanceOf(AudioDecodeError);
  });
});

describe('openAudio: lifecycle', () => {
  const wav = buildWav({ channels: 1, sampleRate: 48_000, bitsPerSample: 16, data: encodePcm([sine(440, 48_000, 48_000 * 5)], 16) });

  it('stops early and releases the source on close()', async () => {
    let pulled = 0;
    let finished = false;
    async function* source() {
      try {
        for (let i = 0; i < wav.length; i += 4096) {
          pulled++;
          yield wav.subarray(i, i + 4096);
        }
      } finally {
        finished = true;
      }
    }
    const opened = await openAudio(source());
    for await (const chunk of opened.samples) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await opened.close();
    expect(finished).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('honours an AbortSignal', async () => {
    const controller = new AbortController();
    const { samples } = await openAudio(chunked(wav, 4096), { signal: controller.signal });
    const error = await caught(async () => {
      for await (const _ of samples) controller.abort(new Error('stop now'));
    });
    expect(error.message).toBe('stop now');
    const aborted = AbortSignal.abort(new Error('already'));
    expect((await caught(() => openAudio(chunked(wav, 4096), { signal: aborted }))).message).toBe('already');
  });

  it.skipIf(!HAVE_FFMPEG)('kills ffmpeg when the consumer stops early', async () => {
    const mp3 = join(tmp.dir, 'long.mp3');
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=60', '-c:a', 'libmp3lame', mp3);
    const opened = await openAudio(mp3);
    for await (const _ of opened.samples) break;
    await opened.close();
    // A second open works and nothing is left hanging (the test would time out otherwise).
    expect((await collect((await openAudio(mp3)).samples)).length).toBe(60 * 16_000);
  });
});
