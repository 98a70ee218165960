import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { YAMNET_SAMPLE_RATE } from '../constants';
import { AudioDecodeError, type AudioDecodeErrorCode } from '../errors';

export type FfmpegInput = { path: string } | { stream: AsyncIterable<Uint8Array> };

export interface FfmpegDecodeOptions {
  ffmpegPath: string;
  /** What the sniffer thought the input was (e.g. "MP3"), to tell "corrupt MP3" from "not audio". */
  formatHint?: string;
  signal?: AbortSignal;
}

export interface FfmpegDecoding {
  sourceSampleRate: number;
  channels: number;
  codec: string;
  samples: AsyncIterable<Float32Array>;
  close(): void;
}

const STDERR_KEEP = 16 * 1024;

/** Channel counts of ffmpeg's named layouts (the names it prints in stream descriptions). */
const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1, stereo: 2, '2.1': 3, '3.0': 3, '3.0(back)': 3, '4.0': 4, quad: 4, 'quad(side)': 4, '3.1': 4,
  '5.0': 5, '5.0(side)': 5, '4.1': 5, '5.1': 6, '5.1(side)': 6, '6.0': 6, '6.0(front)': 6, hexagonal: 6,
  '6.1': 7, '6.1(back)': 7, '6.1(front)': 7, '7.0': 7, '7.0(front)': 7, '7.1': 8, '7.1(wide)': 8,
  '7.1(wide-side)': 8, octagonal: 8, downmix: 2,
};

function channelCount(layout: string): number {
  const trimmed = layout.trim();
  const named = LAYOUT_CHANNELS[trimmed];
  if (named) return named;
  const counted = /^(\d+) channels/.exec(trimmed);
  return counted ? Number(counted[1]) : 0;
}

/**
 * Decodes anything ffmpeg can read to 16 kHz mono float32, streaming its stdout. ffmpeg does the
 * decoding, downmix (average) and resampling (-f f32le -ac 1 -ar 16000). Only the local file or the
 * stdin pipe may be opened (protocol whitelist), so a crafted input cannot make ffmpeg fetch URLs
 * or read other files. Resolves once ffmpeg has described the input stream (rate, channels).
 */
export async function startFfmpegDecode(input: FfmpegInput, options: FfmpegDecodeOptions): Promise<FfmpegDecoding> {
  const fromFile = 'path' in input;
  const args = [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    ...(fromFile ? ['-nostdin', '-protocol_whitelist', 'file'] : ['-protocol_whitelist', 'pipe']),
    '-i',
    fromFile ? `file:${resolve(input.path)}` : 'pipe:0',
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-f',
    'f32le',
    '-ac',
    '1',
    '-ar',
    String(YAMNET_SAMPLE_RATE),
    'pipe:1',
  ];
  const child = spawn(options.ffmpegPath, args, { stdio: [fromFile ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((done) => {
    child.once('error', (spawnError) => done({ code: null, signal: null, spawnError }));
    // 'exit', not 'close': 'close' waits until stdout has been read, which may not have started yet.
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = () => kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const pumping = fromFile ? Promise.resolve() : pump(input.stream, child);

  // Wait for the input description (printed after probing, before any output) or an early exit.
  const described = await new Promise<RegExpExecArray | undefined>((done) => {
    const pattern = /Stream #0:\d+[^:\n]*: Audio: ([^,\n]+)(?:, (\d+) Hz)?(?:, ([^,\n]+))?/;
    const check = () => {
      // Only whole lines: a chunk can end mid-line ("44100 Hz" arriving as "441").
      const lines = stderr.slice(0, stderr.lastIndexOf('\n') + 1);
      const match = pattern.exec(lines);
      if (match || /\nOutput #0|Press \[q\]/.test(lines)) {
        child.stderr?.off('data', check);
        done(match ?? undefined);
      }
    };
    child.stderr?.on('data', check);
    void exited.then(() => done(pattern.exec(stderr) ?? undefined));
  });

  if (!described) {
    // No audio stream was described: ffmpeg is failing (or cannot start); report why.
    const stuck = setTimeout(kill, 5000);
    const result = await exited;
    clearTimeout(stuck);
    options.signal?.removeEventListener('abort', onAbort);
    options.signal?.throwIfAborted();
    if (result.spawnError) {
      throw new AudioDecodeError('FFMPEG_MISSING', `ffmpeg could not be started (${result.spawnError.message})`, { cause: result.spawnError });
    }
    throw classify(stderr, options.formatHint, result.code);
  }

  const samples = readSamples(child, exited, pumping, () => stderr, options, onAbort);
  return {
    codec: described[1].trim(),
    sourceSampleRate: described[2] ? Number(described[2]) : 0,
    channels: described[3] ? channelCount(described[3]) : 0,
    samples,
    close: kill,
  };
}

async function* readSamples(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  pumping: Promise<void>,
  stderr: () => string,
  options: FfmpegDecodeOptions,
  onAbort: () => void,
): AsyncGenerator<Float32Array> {
  const carry = new Uint8Array(4);
  let carryLength = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      // Stdout chunks split floats anywhere; realign into whole 4-byte samples.
      const total = carryLength + chunk.length;
      const count = Math.floor(total / 4);
      if (count === 0) {
        carry.set(chunk, carryLength);
        carryLength = total;
        continue;
      }
      const bytes = new Uint8Array(count * 4);
      bytes.set(carry.subarray(0, carryLength), 0);
      bytes.set(chunk.subarray(0, count * 4 - carryLength), carryLength);
      const rest = chunk.subarray(count * 4 - carryLength);
      carry.set(rest, 0);
      carryLength = rest.length;
      yield new Float32Array(bytes.buffer, 0, count);
    }
    const result = await exited;
    await pumping;
    options.signal?.throwIfAborted();
    if (result.code !== 0) throw classify(stderr(), options.formatHint, result.code);
    finished = true;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (!finished && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Feeds the byte stream to ffmpeg's stdin with backpressure; stops quietly if ffmpeg stops reading. */
async function pump(stream: AsyncIterable<Uint8Array>, child: ChildProcess): Promise<void> {
  const stdin = child.stdin;
  if (!stdin) return;
  let broken = false;
  stdin.on('error', () => {
    broken = true; // EPIPE: ffmpeg exited or closed its input; its exit status says why.
  });
  const closed = once(stdin, 'close').catch(() => undefined);
  try {
    for await (const chunk of stream) {
      if (broken || stdin.destroyed) break;
      if (!stdin.write(chunk)) await Promise.race([once(stdin, 'drain'), closed]);
    }
  } catch {
    // A failing source (e.g. a download that broke) ends ffmpeg's input; ffmpeg reports what it got.
  } finally {
    if (!stdin.destroyed) stdin.end();
  }
}

/** Turns ffmpeg's complaint into an AudioDecodeError code and a one-line reason. */
function classify(stderr: string, formatHint: string | undefined, code: number | null): AudioDecodeError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.filter((l) => !/^(Stream mapping|Press \[q\]|Input #|Output #|Metadata|Duration)/.test(l)).at(-1) ?? `exit code ${code}`;
  let errorCode: AudioDecodeErrorCode = 'CORRUPT';
  let reason = last;
  if (/Invalid data found when processing input/.test(stderr)) {
    errorCode = formatHint ? 'CORRUPT' : 'NOT_AUDIO';
    reason = formatHint ? `the ${formatHint} data is invalid` : 'not a recognised audio format';
  } else if (/matches no streams|does not contain any stream|Output file #0 does not contain any stream/.test(stderr)) {
    errorCode = 'NOT_AUDIO';
    reason = 'it contains no audio stream';
  } else if (/Decoder \(codec [^)]*\) not found|Unsupported codec|Could not find codec parameters/i.test(stderr)) {
    errorCode = 'UNSUPPORTED_CODEC';
    reason = `ffmpeg cannot decode its codec (${last})`;
  } else if (/moov atom not found|partial file|unexpected end of file/i.test(stderr)) {
    errorCode = 'TRUNCATED';
    reason = `it is truncated (${last})`;
  }
  return new AudioDecodeError(errorCode, `ffmpeg could not decode the input: ${reason}`);
}
