/** The demo's and bench:gateway's small parts, without a stack: arguments, recordings, placement, clips, percentiles. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir, startLimitlessSimulator } from '@giggles/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DEFAULT_PORT, DemoHelpRequested, isIanaZone, parseDemoArgs } from './demo-args';
import { demoRecordings, placeDemoDay } from './demo-night';
import { percentile } from './gateway-load';
import { localDayRange } from './time';
import { wavClip } from './year-seed';

describe('demo arguments', () => {
  const defaults = { timezone: 'UTC' };

  it('parses the documented flags, with defaults', () => {
    expect(parseDemoArgs([], defaults)).toMatchObject({ port: DEMO_DEFAULT_PORT, timezone: 'UTC', json: false });
    expect(parseDemoArgs(['--port', '0', '--recordings', '/r', '--timezone', 'Asia/Kolkata', '--json', '--mode', 'dist', '--log-dir', '/l'], defaults)).toEqual({
      port: 0,
      recordings: '/r',
      timezone: 'Asia/Kolkata',
      json: true,
      mode: 'dist',
      logDir: '/l',
    });
  });

  it('refuses bad input with a message naming the flag', () => {
    expect(() => parseDemoArgs(['--port', 'eighty'], defaults)).toThrow(/--port: a port number/);
    expect(() => parseDemoArgs(['--port', '70000'], defaults)).toThrow(/--port/);
    expect(() => parseDemoArgs(['--timezone', 'Mars/Olympus'], defaults)).toThrow(/--timezone: not an IANA time zone: "Mars\/Olympus"/);
    expect(() => parseDemoArgs(['--recordings'], defaults)).toThrow(/--recordings needs a value/);
    expect(() => parseDemoArgs(['--recordings', '--json'], defaults)).toThrow(/--recordings needs a value/);
    expect(() => parseDemoArgs(['--mode', 'docker'], defaults)).toThrow(/--mode: source or dist/);
    expect(() => parseDemoArgs(['--users', '3'], defaults)).toThrow(/unknown argument "--users"/);
    expect(() => parseDemoArgs(['--help'], defaults)).toThrow(DemoHelpRequested);
  });

  it('knows IANA zones', () => {
    expect(isIanaZone('Europe/Berlin')).toBe(true);
    expect(isIanaZone('UTC')).toBe(true);
    expect(isIanaZone('Not/AZone')).toBe(false);
    expect(isIanaZone('')).toBe(false);
  });
});

describe('demo recordings', () => {
  const empty = mkdtempSync(join(tmpdir(), 'giggles-demo-parts-'));
  writeFileSync(join(empty, 'notes.txt'), 'no audio here');
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('says to pass --recordings DIR when the directory is missing or has no .ogg file', () => {
    expect(() => demoRecordings(join(empty, 'missing'))).toThrow(/does not exist\. Pass a directory of Ogg Opus recordings with --recordings DIR/);
    expect(() => demoRecordings(empty)).toThrow(/holds no \.ogg file\. Pass a directory of Ogg Opus recordings with --recordings DIR/);
  });

  it('places the day from 08:00 local time on the 2-hour window grid, nothing overlapping, nothing after 22:00', async () => {
    const files = demoRecordings(join(sharedDir(), 'eval'));
    const simulator = await startLimitlessSimulator();
    try {
      const tz = 'America/New_York';
      const date = '2026-11-01'; // 25 hours: DST ends
      const { startMs } = localDayRange(date, tz);
      const placed = placeDemoDay(simulator, 'sk-demo-parts', [...files, ...files, ...files], date, tz);
      expect(placed.length).toBe(files.length * 3);
      const localTime = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
      // 08:00 local is 9 hours after midnight that day (the clock went back at 02:00).
      expect(placed[0].startMs).toBe(startMs + 9 * 3_600_000);
      expect(localTime(placed[0].startMs)).toBe('08:00');
      for (const [i, p] of placed.entries()) {
        expect(localTime(p.startMs) >= '08:00' && localTime(p.startMs) < '22:00').toBe(true);
        if (i > 0) expect(p.startMs).toBeGreaterThan(placed[i - 1].endMs);
      }
      expect(simulator.timeline('sk-demo-parts')).toHaveLength(placed.length);

      // An ordinary day: each recording starts on ingestion's 2-hour window grid, from 08:00.
      const day = localDayRange('2026-06-01', 'Asia/Kolkata');
      const two = placeDemoDay(simulator, 'sk-demo-parts-2', files.slice(0, 2), '2026-06-01', 'Asia/Kolkata');
      expect(two.map((p) => (p.startMs - day.startMs) / 3_600_000)).toEqual([8, 14]);
    } finally {
      await simulator.stop();
    }
  });
});

describe('bench:gateway parts', () => {
  it('makes a valid PCM WAV of the asked size', () => {
    const wav = wavClip(4096);
    expect(wav.length).toBe(4096);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.subarray(8, 12).toString()).toBe('WAVE');
    expect(wav.readUInt32LE(40)).toBe(4096 - 44);
    expect(wav.readUInt32LE(24)).toBe(16_000);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBe(0);
  });
});
