import { YAMNET_SAMPLE_RATE } from '../constants';
import { AudioDecodeError } from '../errors';
import { concatBytes } from '../io/byte-stream';
import { MAX_OGG_HEADER_PACKET_BYTES, MAX_OPUS_AUDIO_PACKET_BYTES, MAX_OPUS_PACKETS_PER_DECODE, MAX_SOURCE_CHANNELS } from '../limits';
import { downmixToMono } from './downmix';
import { OggPageScanner, type OggPage } from './ogg-pages';

/** The parts of ogg-opus-decoder 1.7.5 we use (its bundled types omit the sampleRate option). */
interface DecodedAudio {
  channelData: Float32Array[];
  samplesDecoded: number;
  errors: { message: string }[];
}
interface OggOpusDecoderInstance {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<DecodedAudio>;
  flush(): Promise<DecodedAudio>;
  free(): void;
}
type OggOpusDecoderClass = new (options: { sampleRate?: number; forceStereo?: boolean }) => OggOpusDecoderInstance;

let decoderClass: Promise<OggOpusDecoderClass> | undefined;

/** ogg-opus-decoder is ESM-only; load it once with a real dynamic import from this CommonJS lib. */
function loadDecoderClass(): Promise<OggOpusDecoderClass> {
  decoderClass ??= import('ogg-opus-decoder').then((m) => (m as unknown as { OggOpusDecoder: OggOpusDecoderClass }).OggOpusDecoder);
  return decoderClass;
}

export interface OggOpusDecodeOptions {
  /** Compressed bytes handed to libopus per call (batching whole pages amortises the call cost). */
  batchBytes?: number;
  /** Output rate, one of libopus's 8000/12000/16000/24000/48000 (default 16000). */
  sampleRate?: 8000 | 12000 | 16000 | 24000 | 48000;
}

/**
 * Decodes an Ogg Opus byte stream to 16 kHz mono. libopus decodes straight to 16 kHz (its own
 * band-limited decoding path), so no separate resampling pass is needed; pre-skip and the final
 * page's granule position are honoured, so the output length is the exact stream duration.
 *
 * Every page is checked before decoding (see OggPageScanner). On damage — a corrupt page, missing
 * pages, or input ending mid-page — everything decodable before it is yielded first, then an
 * AudioDecodeError (CORRUPT or TRUNCATED) is thrown: a caller can keep the results for the audio it
 * already processed. A stream that ends on a page boundary without the end-of-stream flag is
 * accepted as complete, since live recorders may never write that flag.
 */
export async function* decodeOggOpus(bytes: AsyncIterable<Uint8Array>, options: OggOpusDecodeOptions = {}): AsyncGenerator<Float32Array> {
  const batchBytes = options.batchBytes ?? 64 * 1024;
  const Decoder = await loadDecoderClass();
  const decoder = new Decoder({ sampleRate: options.sampleRate ?? YAMNET_SAMPLE_RATE });
  await decoder.ready;
  const scanner = new OggPageScanner();
  let batch: Uint8Array[] = [];
  let batchLength = 0;
  let batchPackets = 0;
  let lastOffset = 0;
  const opusSerials = new Set<number>();
  const packets = new OpusPacketBounds();

  const decodeBatch = async (): Promise<Float32Array | undefined> => {
    if (batchLength === 0) return undefined;
    const input = batch.length === 1 ? batch[0] : concatBytes(batch, batchLength);
    batch = [];
    batchLength = 0;
    batchPackets = 0;
    return mono(await decoder.decode(input), lastOffset);
  };

  try {
    for await (const chunk of bytes) {
      for (const page of scanner.push(chunk)) {
        if (page.bos && isOpusHead(page.bytes)) {
          checkOpusHeadChannels(page);
          opusSerials.add(page.serial);
        }
        // Other logical streams multiplexed in (e.g. a Skeleton track) are not ours to decode.
        if (!opusSerials.has(page.serial)) continue;
        // Bounded before libopus buffers a packet or decodes a batch (see limits.ts).
        let completed: number;
        try {
          completed = packets.check(page);
        } catch (error) {
          // Like any damage: what decoded before it still comes out first.
          const out = await decodeBatch();
          if (out?.length) yield out;
          throw error;
        }
        if (batchPackets + completed > MAX_OPUS_PACKETS_PER_DECODE) {
          const out = await decodeBatch();
          if (out?.length) yield out;
        }
        batch.push(page.bytes);
        batchLength += page.bytes.length;
        batchPackets += completed;
        lastOffset = page.offset;
        if (page.eos) {
          // End of a logical stream (another may be chained after it): decode and flush now.
          // ogg-opus-decoder trims a stream's end by granule position correctly only when the next
          // stream starts in a fresh decode call after flush(); otherwise it drops samples.
          const out = await decodeBatch();
          if (out?.length) yield out;
          const tail = mono(await decoder.flush(), lastOffset);
          if (tail.length) yield tail;
        } else if (batchLength >= batchBytes) {
          const out = await decodeBatch();
          if (out?.length) yield out;
        }
      }
      if (scanner.error) break;
    }
    scanner.end();
    const out = await decodeBatch();
    if (out?.length) yield out;
    const tail = mono(await decoder.flush(), lastOffset);
    if (tail.length) yield tail;
    if (scanner.error) throw scanner.error;
  } finally {
    decoder.free();
  }
}

function mono(decoded: DecodedAudio, offset: number): Float32Array {
  if (decoded.errors.length) {
    // Pages passed their checksums, so this is a broken encoder rather than transmission damage.
    throw new AudioDecodeError('CORRUPT', `Opus data near byte ${offset} cannot be decoded: ${decoded.errors[0].message}`, {
      byteOffset: offset,
    });
  }
  return downmixToMono(decoded.channelData, decoded.samplesDecoded);
}

/**
 * Follows each logical stream's packet boundaries through the pages' lacing values: refuses a packet
 * longer than an Opus packet can be (a header packet gets the larger OpusTags allowance) and says
 * how many packets a page completes, so a decode batch never holds more than
 * MAX_OPUS_PACKETS_PER_DECODE of them.
 */
class OpusPacketBounds {
  /** Per serial: packets completed so far and the length of the one still open. */
  private readonly streams = new Map<number, { completed: number; open: number }>();

  check(page: OggPage): number {
    const state = this.streams.get(page.serial) ?? { completed: 0, open: 0 };
    this.streams.set(page.serial, state);
    const segments = page.bytes[26];
    let completed = 0;
    for (let i = 0; i < segments; i++) {
      const lacing = page.bytes[27 + i];
      state.open += lacing;
      // OpusHead and OpusTags are a stream's first two packets.
      const limit = state.completed + completed < 2 ? MAX_OGG_HEADER_PACKET_BYTES : MAX_OPUS_AUDIO_PACKET_BYTES;
      if (state.open > limit) {
        throw new AudioDecodeError('CORRUPT', `Ogg Opus packet at byte ${page.offset} is longer than ${limit} bytes, more than Opus allows`, {
          byteOffset: page.offset,
        });
      }
      if (lacing < 255) {
        completed++;
        state.open = 0;
      }
    }
    state.completed += completed;
    if (page.eos) this.streams.delete(page.serial);
    return completed;
  }
}

/** The OpusHead's channel count (byte 9) decides how many channels libopus decodes before the downmix. */
function checkOpusHeadChannels(page: OggPage): void {
  const channels = page.bytes[27 + page.bytes[26] + 9];
  if (channels === 0 || channels > MAX_SOURCE_CHANNELS) {
    throw new AudioDecodeError('CORRUPT', `Ogg Opus header declares ${channels} channels (1–${MAX_SOURCE_CHANNELS} are accepted)`, { byteOffset: page.offset });
  }
}

function isOpusHead(page: Uint8Array): boolean {
  const payload = 27 + page[26];
  const magic = 'OpusHead';
  if (page.length < payload + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (page[payload + i] !== magic.charCodeAt(i)) return false;
  return true;
}
