import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeTagsFrom, PlacementError, placeRecording, readMatroskaDateUtc, type Placement } from '@giggles/recordings';
import { FfprobeRecordingProbe } from '../src/adapters/recording-probe.adapter';
import type { IngestionConfig } from '../src/config/ingestion-config';

/**
 * The upload page says where a file will land before it is sent: it reads the file's tags in the
 * browser with music-metadata, maps them to ffprobe's names (libs/recordings parsed-metadata.ts)
 * and runs placeRecording. Here real files made by ffmpeg, each carrying a creation time the way
 * its format does, are read both ways — music-metadata on the bytes (as the page does) and the
 * server's own ffprobe probe — and both placements must be the same instant from the same tag.
 */

const TIMEZONE = 'Europe/Berlin';
const NOW = Date.parse('2026-12-10T12:00:00Z');
const AT_UTC = '2026-12-03T13:15:00Z'; // 14:15 in Berlin
const EXPECTED = Date.parse(AT_UTC);

interface Case {
  name: string;
  args: string[];
  /** The tag the placement must come from (evidence "tag <key>=…"), or 'name', or 'none'. */
  from: string;
  expected?: number;
}

const CASES: Case[] = [
  { name: 'memo.ogg', args: ['-c:a', 'libvorbis', '-metadata', `creation_time=${AT_UTC}`], from: 'creation_time' },
  { name: 'memo.opus', args: ['-c:a', 'libopus', '-metadata', 'date=2026-12-03T14:15:00'], from: 'date' },
  { name: 'memo.wav', args: ['-c:a', 'pcm_s16le', '-write_bext', '1', '-metadata', 'origination_date=2026-12-03', '-metadata', 'origination_time=14:15:00'], from: 'date+creation_time' },
  { name: 'memo.mp3', args: ['-c:a', 'libmp3lame', '-metadata', 'date=2026-12-03T14:15:00'], from: 'date' },
  { name: 'memo.m4a', args: ['-c:a', 'aac', '-metadata', `creation_time=${AT_UTC}`], from: 'creation_time' },
  { name: 'memo.flac', args: ['-c:a', 'flac', '-metadata', 'date=2026-12-03 14:15:00'], from: 'date' },
  { name: 'memo.webm', args: ['-c:a', 'libopus', '-metadata', `creation_time=${AT_UTC}`], from: 'creation_time' },
  // An offset in the tag is honoured the same way on both sides.
  { name: 'offset.flac', args: ['-c:a', 'flac', '-metadata', 'date=2026-12-03T08:15:00-05:00'], from: 'date' },
  // ID3v2.3 keeps only the year of `date`: no time in the tag, the name decides on both sides.
  { name: '20261203_091500.mp3', args: ['-c:a', 'libmp3lame', '-id3v2_version', '3', '-metadata', 'date=2026-12-03T14:15:00'], from: 'name', expected: Date.parse('2026-12-03T08:15:00Z') },
  // A tag with only a day falls back to the name.
  { name: 'REC_20261203-091500.ogg', args: ['-c:a', 'libvorbis', '-metadata', 'date=2026-12-03'], from: 'name', expected: Date.parse('2026-12-03T08:15:00Z') },
  // No time anywhere: neither side guesses.
  { name: 'voice memo.m4a', args: ['-c:a', 'aac'], from: 'none' },
];

let dir: string;
const probe = new FfprobeRecordingProbe({ ffprobePath: 'ffprobe', importProbeTimeoutMs: 30_000 } as IngestionConfig);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'giggles-agreement-'));
  for (const c of CASES) {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', ...c.args, join(dir, c.name)]);
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function place(fileName: string, durationMs: number, tags: Record<string, string>): Placement | PlacementError {
  try {
    return placeRecording({ fileName, durationMs, timezone: TIMEZONE, tags, nowMs: NOW });
  } catch (error) {
    if (error instanceof PlacementError) return error;
    throw error;
  }
}

/** What the upload page does with the picked file's bytes (apps/web/src/lib/placement-preview.ts). */
async function browserTags(bytes: Uint8Array): Promise<Record<string, string>> {
  const { parseBuffer } = await import('music-metadata');
  const parsed = await parseBuffer(bytes, undefined, { duration: false, skipCovers: true });
  return ffprobeTagsFrom(parsed, readMatroskaDateUtc(bytes.subarray(0, 64 * 1024)));
}

describe('placement agreement: the upload page (music-metadata) and the server (ffprobe)', () => {
  it.each(CASES)('$name: placed from $from on both sides, at the same instant', async (c) => {
    const path = join(dir, c.name);
    const facts = await probe.probe(path);
    const server = place(c.name, facts.durationMs, facts.tags);
    const browser = place(c.name, facts.durationMs, await browserTags(readFileSync(path)));

    if (c.from === 'none') {
      expect(server).toBeInstanceOf(PlacementError);
      expect(browser).toBeInstanceOf(PlacementError);
      expect((browser as PlacementError).code).toBe((server as PlacementError).code);
      return;
    }
    expect(server, `server: ${JSON.stringify(facts.tags)}`).not.toBeInstanceOf(PlacementError);
    expect(browser).not.toBeInstanceOf(PlacementError);
    const s = server as Placement;
    const b = browser as Placement;
    expect(new Date(s.startMs).toISOString()).toBe(new Date(c.expected ?? EXPECTED).toISOString());
    expect(b.startMs).toBe(s.startMs);
    expect(b.source).toBe(s.source);
    expect(s.source).toBe(c.from === 'name' ? 'name' : 'embedded');
    if (c.from !== 'name') {
      expect(s.evidence.startsWith(`tag ${c.from}=`), s.evidence).toBe(true);
      expect(b.evidence.split('=')[0]).toBe(s.evidence.split('=')[0]);
    }
  });
});
