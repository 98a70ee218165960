/**
 * Just enough of RFC 6716 §3.1 to know how long an Opus packet plays, and to make packets of
 * digital silence without an encoder (a CELT fullband frame whose only coded symbol is the
 * "silence" flag — the same 3-byte packet WebRTC stacks send for silence, TOC varied per size).
 */

/** Samples (at 48 kHz) of one frame for each TOC configuration 0..31. */
const FRAME_SAMPLES: readonly number[] = [
  // SILK NB, MB, WB: 10, 20, 40, 60 ms
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
  // Hybrid SWB, FB: 10, 20 ms
  480, 960, 480, 960,
  // CELT NB, WB, SWB, FB: 2.5, 5, 10, 20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
];

/** Number of 48 kHz samples an Opus packet decodes to. Throws on a malformed packet. */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length < 1) throw new Error('empty Opus packet');
  const toc = packet[0];
  const frame = FRAME_SAMPLES[toc >> 3];
  const code = toc & 0x03;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code === 1 || code === 2) frames = 2;
  else {
    if (packet.length < 2) throw new Error('Opus code 3 packet without a frame count byte');
    frames = packet[1] & 0x3f;
    if (frames === 0) throw new Error('Opus code 3 packet with zero frames');
  }
  const samples = frame * frames;
  if (samples > 5760) throw new Error(`Opus packet longer than 120 ms (${samples} samples)`);
  return samples;
}

/** Sizes (48 kHz samples) for which {@link opusSilencePacket} can make a packet, largest first. */
export const SILENCE_PACKET_SAMPLES = [960, 480, 240, 120] as const;
export type SilencePacketSamples = (typeof SILENCE_PACKET_SAMPLES)[number];

const CELT_FB_CONFIG: Record<SilencePacketSamples, number> = { 120: 28, 240: 29, 480: 30, 960: 31 };

/** An Opus packet that decodes to `samples` of silence (CELT fullband, one frame). */
export function opusSilencePacket(samples: SilencePacketSamples, stereo = false): Buffer {
  const toc = (CELT_FB_CONFIG[samples] << 3) | (stereo ? 0x04 : 0);
  return Buffer.from([toc, 0xff, 0xfe]);
}

/**
 * Silence packets covering `samples` as closely as 2.5 ms packets allow (rounded to the nearest
 * 120 samples). Returns the packets and the samples they actually cover.
 */
export function opusSilence(samples: number, stereo = false): { packets: Buffer[]; samples: number } {
  let remaining = Math.round(Math.max(0, samples) / 120) * 120;
  const covered = remaining;
  const packets: Buffer[] = [];
  for (const size of SILENCE_PACKET_SAMPLES) {
    while (remaining >= size) {
      packets.push(opusSilencePacket(size, stereo));
      remaining -= size;
    }
  }
  return { packets, samples: covered };
}
