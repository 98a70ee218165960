/** Bytes read before deciding how to decode: enough for an Ogg first page with its OpusHead. */
export const SNIFF_BYTES = 4096;

export type SniffResult =
  | { kind: 'ogg-opus'; channels: number; inputSampleRate: number }
  | { kind: 'wav' }
  | { kind: 'text' }
  /** Anything else; `format` names it when the magic number is known (for error messages). */
  | { kind: 'other'; format?: string };

function ascii(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Decides the container from the first bytes: Ogg whose first page carries an OpusHead → native
 * Opus; RIFF/WAVE → native WAV; printable text → not audio (rejected before ffmpeg sees it: ffmpeg
 * would otherwise interpret playlists and concat scripts, which can reference other files or URLs);
 * anything else → ffmpeg.
 */
export function sniffFormat(prefix: Uint8Array): SniffResult {
  if (ascii(prefix, 0, 'OggS')) {
    const segments = prefix.length > 26 ? prefix[26] : -1;
    const payload = 27 + segments;
    if (segments >= 0 && ascii(prefix, payload, 'OpusHead') && prefix.length >= payload + 19) {
      const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
      return { kind: 'ogg-opus', channels: prefix[payload + 9], inputSampleRate: view.getUint32(payload + 12, true) };
    }
    if (ascii(prefix, payload, '\x01vorbis')) return { kind: 'other', format: 'Ogg Vorbis' };
    if (ascii(prefix, payload, '\x7fFLAC')) return { kind: 'other', format: 'Ogg FLAC' };
    return { kind: 'other', format: 'Ogg' };
  }
  if (ascii(prefix, 0, 'RIFF') && ascii(prefix, 8, 'WAVE')) return { kind: 'wav' };
  const format = knownFormat(prefix);
  if (format) return { kind: 'other', format };
  if (looksLikeText(prefix)) return { kind: 'text' };
  return { kind: 'other' };
}

function knownFormat(b: Uint8Array): string | undefined {
  if (ascii(b, 0, 'RF64') || ascii(b, 0, 'BW64')) return 'RF64 WAV';
  if (ascii(b, 0, 'RIFX')) return 'big-endian WAV';
  if (ascii(b, 0, 'RIFF')) return ascii(b, 8, 'AVI ') ? 'AVI' : 'RIFF';
  if (ascii(b, 0, 'fLaC')) return 'FLAC';
  if (ascii(b, 0, 'ID3')) return 'MP3';
  if (ascii(b, 4, 'ftyp')) return 'MP4/M4A';
  if (ascii(b, 0, 'FORM') && (ascii(b, 8, 'AIFF') || ascii(b, 8, 'AIFC'))) return 'AIFF';
  if (ascii(b, 0, 'caff')) return 'CAF';
  if (ascii(b, 0, '#!AMR')) return 'AMR';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'WebM/Matroska';
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return 'AAC (ADTS)';
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return 'MP3';
  return undefined;
}

/** No control bytes other than tab/newline/CR/form feed: text, whatever its encoding. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}
