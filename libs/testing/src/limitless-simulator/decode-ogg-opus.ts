/**
 * Decodes Ogg Opus bytes with ogg-opus-decoder (the decoder libs/audio uses), mono-mixed, at a
 * chosen rate. Used by this lib's tests and available to other tests that check served audio.
 */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  errors: number;
}

interface DecoderInstance {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<{ channelData: Float32Array[]; samplesDecoded: number; errors: unknown[] }>;
  flush(): Promise<{ channelData: Float32Array[]; samplesDecoded: number; errors: unknown[] }>;
  free(): void;
}

export async function decodeOggOpus(
  data: Uint8Array,
  sampleRate = 16000,
  chunkBytes = 64 * 1024,
): Promise<DecodedAudio> {
  const mod = (await import('ogg-opus-decoder')) as unknown as {
    OggOpusDecoder: new (o: { sampleRate: number }) => DecoderInstance;
  };
  const decoder = new mod.OggOpusDecoder({ sampleRate });
  await decoder.ready;
  const parts: Float32Array[] = [];
  let errors = 0;
  const take = (r: { channelData: Float32Array[]; samplesDecoded: number; errors: unknown[] }) => {
    errors += r.errors.length;
    if (r.samplesDecoded === 0 || r.channelData.length === 0) return;
    const mono = new Float32Array(r.samplesDecoded);
    for (const ch of r.channelData) for (let i = 0; i < mono.length; i++) mono[i] += ch[i] / r.channelData.length;
    parts.push(mono);
  };
  try {
    for (let o = 0; o < data.length; o += chunkBytes) take(await decoder.decode(data.subarray(o, o + chunkBytes)));
    take(await decoder.flush());
  } finally {
    decoder.free();
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const samples = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate, errors };
}
