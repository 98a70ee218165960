/** Builds WAV byte images for tests: any format tag, extra chunks, odd sizes, placeholder sizes. */
export interface WavSpec {
  formatTag?: number;
  extensibleSubformat?: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign?: number;
  data: Uint8Array;
  before?: { id: string; body: Uint8Array }[];
  after?: { id: string; body: Uint8Array }[];
  dataSize?: number;
  riffSize?: number;
}

function chunk(id: string, body: Uint8Array, sizeOverride?: number): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  view.setUint32(4, sizeOverride ?? body.length, true);
  out.set(body, 8);
  return out;
}

export function buildWav(spec: WavSpec): Uint8Array {
  const extensible = spec.extensibleSubformat !== undefined;
  const fmt = new Uint8Array(extensible ? 40 : 16);
  const view = new DataView(fmt.buffer);
  const blockAlign = spec.blockAlign ?? (spec.channels * spec.bitsPerSample) / 8;
  view.setUint16(0, extensible ? 0xfffe : (spec.formatTag ?? 1), true);
  view.setUint16(2, spec.channels, true);
  view.setUint32(4, spec.sampleRate, true);
  view.setUint32(8, spec.sampleRate * blockAlign, true);
  view.setUint16(12, blockAlign, true);
  view.setUint16(14, spec.bitsPerSample, true);
  if (extensible) {
    view.setUint16(16, 22, true);
    view.setUint16(18, spec.bitsPerSample, true);
    view.setUint32(20, 0, true);
    view.setUint16(24, spec.extensibleSubformat as number, true);
    // KSDATAFORMAT_SUBTYPE GUID tail 00000000-0010-8000-00aa00389b71
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const parts = [
    ...(spec.before ?? []).map((c) => chunk(c.id, c.body)),
    chunk('fmt ', fmt),
    chunk('data', spec.data, spec.dataSize),
    ...(spec.after ?? []).map((c) => chunk(c.id, c.body)),
  ];
  const length = 12 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(length);
  const outView = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46], 0);
  outView.setUint32(4, spec.riffSize ?? length - 8, true);
  out.set([0x57, 0x41, 0x56, 0x45], 8);
  let offset = 12;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Interleaved integer PCM of `channels` float signals. */
export function encodePcm(channels: Float32Array[], bits: 8 | 16 | 24 | 32): Uint8Array {
  const frames = channels[0].length;
  const bytes = bits / 8;
  const out = new Uint8Array(frames * channels.length * bytes);
  const view = new DataView(out.buffer);
  let p = 0;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      const v = Math.max(-1, Math.min(1 - 2 ** -(bits - 1), channel[f]));
      const q = Math.round(v * 2 ** (bits - 1));
      if (bits === 8) view.setUint8(p, q + 128);
      else if (bits === 16) view.setInt16(p, q, true);
      else if (bits === 24) {
        view.setUint8(p, q & 0xff);
        view.setUint8(p + 1, (q >> 8) & 0xff);
        view.setInt8(p + 2, q >> 16);
      } else view.setInt32(p, q, true);
      p += bytes;
    }
  }
  return out;
}

export function encodeFloat(channels: Float32Array[], bits: 32 | 64): Uint8Array {
  const frames = channels[0].length;
  const bytes = bits / 8;
  const out = new Uint8Array(frames * channels.length * bytes);
  const view = new DataView(out.buffer);
  let p = 0;
  for (let f = 0; f < frames; f++) {
    for (const channel of channels) {
      if (bits === 32) view.setFloat32(p, channel[f], true);
      else view.setFloat64(p, channel[f], true);
      p += bytes;
    }
  }
  return out;
}
