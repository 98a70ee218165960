import { readFileSync, statSync } from 'node:fs';
import { OGG_BOS, oggPackets, parseOggPages } from './ogg-pages';
import { opusPacketSamples } from './opus-packet';

/** 48 kHz samples per millisecond: Ogg Opus granule positions always count 48 kHz samples. */
export const SAMPLES_PER_MS = 48;

/** One Ogg Opus file parsed into packets, ready to be cut. */
export interface OpusRecording {
  path: string;
  /** The OpusHead packet as found in the file. */
  head: Buffer;
  channels: number;
  /** Samples the decoder discards at the start (OpusHead pre-skip). */
  preSkip: number;
  /** Audio packets in order. */
  packets: Buffer[];
  /** Raw (pre-skip included) 48 kHz sample index at which each packet starts; one extra entry = total. */
  packetStart: number[];
  /** Playable samples: final granule position minus pre-skip. */
  playableSamples: number;
  /** Playable duration in milliseconds (may be fractional). */
  durationMs: number;
}

const cache = new Map<string, { mtimeMs: number; size: number; recording: OpusRecording }>();

/** Loads (and caches by path, size and mtime) an Ogg Opus file with a single logical stream. */
export function loadOpusRecording(path: string): OpusRecording {
  const st = statSync(path);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.recording;
  const recording = parseOpusRecording(readFileSync(path), path);
  cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, recording });
  return recording;
}

export function parseOpusRecording(data: Buffer, path = '<memory>'): OpusRecording {
  const pages = parseOggPages(data);
  if (pages.length === 0) throw new Error(`${path}: no Ogg pages`);
  const streams = pages.filter((p) => p.flags & OGG_BOS).length;
  if (streams !== 1) throw new Error(`${path}: expected one logical stream, found ${streams}`);
  const all = oggPackets(pages);
  const [headPacket, tagsPacket, ...audio] = all;
  const head = headPacket?.data;
  if (!head || head.length < 19 || head.toString('latin1', 0, 8) !== 'OpusHead') {
    throw new Error(`${path}: not Ogg Opus (no OpusHead)`);
  }
  if (head[18] !== 0) throw new Error(`${path}: only channel mapping family 0 is supported`);
  if (!tagsPacket || tagsPacket.data.toString('latin1', 0, 8) !== 'OpusTags') {
    throw new Error(`${path}: missing OpusTags`);
  }
  const preSkip = head.readUInt16LE(10);
  const packetStart = [0];
  for (const p of audio) packetStart.push(packetStart[packetStart.length - 1] + opusPacketSamples(p.data));
  const raw = packetStart[packetStart.length - 1];
  const last = audio[audio.length - 1];
  const finalGranule = last?.pageGranule !== undefined ? Number(last.pageGranule) : raw;
  const playableSamples = Math.max(0, Math.min(finalGranule, raw) - preSkip);
  return {
    path,
    head,
    channels: head[9],
    preSkip,
    packets: audio.map((p) => p.data),
    packetStart,
    playableSamples,
    durationMs: playableSamples / SAMPLES_PER_MS,
  };
}
