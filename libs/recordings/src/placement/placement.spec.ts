import { describe, expect, it } from 'vitest';
import { PlacementError, placeRecording, splitByLocalDay } from '../index';

const NOW = Date.parse('2026-12-10T12:00:00Z');
const BERLIN = 'Europe/Berlin';
const MINUTE = 60_000;

function place(fileName: string, extra: { start?: string; tags?: Record<string, unknown>; timezone?: string; durationMs?: number } = {}) {
  return placeRecording({ fileName, durationMs: extra.durationMs ?? 10 * MINUTE, timezone: extra.timezone ?? BERLIN, start: extra.start, tags: extra.tags, nowMs: NOW });
}

function placeError(fileName: string, extra: Parameters<typeof place>[1] = {}): PlacementError {
  try {
    place(fileName, extra);
  } catch (error) {
    expect(error).toBeInstanceOf(PlacementError);
    return error as PlacementError;
  }
  throw new Error(`${fileName} was placed`);
}

describe('placeRecording: file names (read in the user time zone)', () => {
  // Berlin is UTC+1 in December, UTC+2 in summer.
  it.each([
    ['20261203_141500.wav', '2026-12-03T13:15:00.000Z'],
    ['REC_20261203-141500.mp3', '2026-12-03T13:15:00.000Z'],
    ['VID_20261203_141500.m4a', '2026-12-03T13:15:00.000Z'],
    ['PXL_20261203_141500250.mp4', '2026-12-03T13:15:00.250Z'],
    ['20261203141500.ogg', '2026-12-03T13:15:00.000Z'],
    ['20261203 141500-3A4B5C6D.m4a', '2026-12-03T13:15:00.000Z'], // iOS Voice Memos export
    ['2026-12-03 14.15.00.flac', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03 14.15.m4a', '2026-12-03T13:15:00.000Z'], // no seconds
    ['Recording 2026-12-03 14.15.00.m4a', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03T14:15:00.webm', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03_14-15-00.wav', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03T14:15:00Z.wav', '2026-12-03T14:15:00.000Z'], // explicit UTC in the name
    ['2026-12-03T14:15:00+05:30.wav', '2026-12-03T08:45:00.000Z'], // explicit offset
    ['Voice 261203_141500.m4a', '2026-12-03T13:15:00.000Z'], // Samsung Voice Recorder
    ['/home/me/phone/20260715_090000.wav', '2026-07-15T07:00:00.000Z'], // summer: UTC+2
    ['C:\\Users\\me\\20261203_141500.wav', '2026-12-03T13:15:00.000Z'],
    ['bad 20261399_999999 then 20261203_141500.wav', '2026-12-03T13:15:00.000Z'], // first invalid, second real
  ])('%s → %s', (fileName, iso) => {
    const p = place(fileName);
    expect(new Date(p.startMs).toISOString()).toBe(iso);
    expect(p.endMs - p.startMs).toBe(10 * MINUTE);
    expect(p.source).toBe('name');
  });

  it('says where the file lands on the user clock', () => {
    const p = place('20261203_141500.wav');
    expect(p.localStart).toBe('2026-12-03 14:15:00 (+01:00)');
    expect(p.localEnd).toBe('2026-12-03 14:25:00 (+01:00)');
    expect(p.evidence).toBe('name "20261203_141500"');
  });

  it('reads the same name in another zone as that zone\'s local time', () => {
    expect(new Date(place('20261203_141500.wav', { timezone: 'America/New_York' }).startMs).toISOString()).toBe('2026-12-03T19:15:00.000Z');
  });

  it.each([
    ['recording.wav'],
    ['Voice 001.m4a'],
    ['20261345_256199.wav'], // month 13, hour 25
    ['20260230_120000.wav'], // 30 February
    ['19700101_000000.wav'], // unset clock
    ['20301203_141500.wav'], // years in the future
    ['12345678901234567890.wav'], // a long number is not a time
    ['2026-12-03.wav'], // a day without a time
    ['x'.repeat(100_000) + '20261203_141500.wav'], // the time is past the scan limit (title: %#)
    ['../../etc/passwd'],
    ['20261203_141500'.replace(/\d/g, '٣')], // Arabic-Indic digits are not ASCII digits
    ['\u0000\u202e20261203_1415.wav'], // control characters, too short a time
    [''],
  ])('cannot place #%#: clear error asking for --start', (fileName) => {
    const error = placeError(fileName);
    expect(error.code).toBe('CANNOT_PLACE');
    expect(error.message).toMatch(/cannot place this file.*give --start/);
  });

  it('reads a hostile long name in linear time', () => {
    const name = '2026-12-03 14.'.repeat(20_000);
    const started = performance.now();
    expect(placeError(name).code).toBe('CANNOT_PLACE');
    // No timing assertion (the machine is shared); the test finishing at all is the point.
    expect(performance.now()).toBeGreaterThanOrEqual(started);
  });
});

describe('placeRecording: DST (Europe/Berlin)', () => {
  it('a time inside the spring-forward gap lands with the pre-change offset (02:30 → 03:30 CEST)', () => {
    // 2026-03-29: clocks go 02:00 CET → 03:00 CEST; 02:30 does not exist.
    const p = place('20260329_023000.wav');
    expect(new Date(p.startMs).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(p.localStart).toBe('2026-03-29 03:30:00 (+02:00)');
  });

  it('a time in the fall-back hour is its first occurrence (summer time)', () => {
    // 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens twice.
    const p = place('20261025_023000.wav');
    expect(new Date(p.startMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(p.localStart).toBe('2026-10-25 02:30:00 (+02:00)');
  });
});

describe('placeRecording: embedded creation time', () => {
  it.each([
    [{ creation_time: '2026-12-03T13:15:00.000000Z' }, '2026-12-03T13:15:00.000Z', 'creation_time'],
    [{ 'com.apple.quicktime.creationdate': '2026-12-03T14:15:00+0100' }, '2026-12-03T13:15:00.000Z', 'com.apple.quicktime.creationdate'],
    [{ date: '2026-12-03T14:15' }, '2026-12-03T13:15:00.000Z', 'date'], // ID3 TDRC, local
    [{ DATE: '2026-12-03 14:15:00' }, '2026-12-03T13:15:00.000Z', 'date'], // Vorbis, SQL style
    [{ origination_date: '2026-12-03', origination_time: '14-15-00' }, '2026-12-03T13:15:00.000Z', 'origination_date+origination_time'], // BWF
    [{ date: '2026-12-03', creation_time: '14:15:00' }, '2026-12-03T13:15:00.000Z', 'date+creation_time'], // BWF as ffmpeg 5.1's WAV demuxer reports it
    // An unset clock or a date-only tag is skipped; the next candidate wins.
    [{ creation_time: '1970-01-01T00:00:00.000000Z', date: '2026-12-03T14:15' }, '2026-12-03T13:15:00.000Z', 'date'],
  ])('%j → %s', (tags, iso, key) => {
    const p = place('20200101_000000.wav', { tags });
    expect(p.source).toBe('embedded');
    expect(new Date(p.startMs).toISOString()).toBe(iso);
    expect(p.evidence).toContain(key);
  });

  it.each([
    [{ date: '2026' }],
    [{ date: '2026-12-03' }],
    [{ creation_time: '1904-01-01T00:00:00Z' }],
    [{ creation_time: 'not a time' }],
    [{ creation_time: 12345 }],
    [{ creation_time: '2026-12-03T13:15:00Z' + ' '.repeat(100) + 'x' }], // oversized tag
  ])('unusable tag %j falls back to the name', (tags) => {
    const p = place('20261203_141500.wav', { tags });
    expect(p.source).toBe('name');
  });
});

describe('placeRecording: explicit start', () => {
  it.each([
    ['2026-12-03T14:15:00', '2026-12-03T13:15:00.000Z'], // local
    ['2026-12-03T14:15', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03 14:15:00', '2026-12-03T13:15:00.000Z'],
    ['2026-12-03T14:15:00Z', '2026-12-03T14:15:00.000Z'],
    ['2026-12-03T14:15:00-05:00', '2026-12-03T19:15:00.000Z'],
  ])('%s → %s, over the tags and the name', (start, iso) => {
    const p = place('20200101_000000.wav', { start, tags: { creation_time: '2025-01-01T00:00:00Z' } });
    expect(p.source).toBe('start');
    expect(new Date(p.startMs).toISOString()).toBe(iso);
  });

  it.each([['yesterday'], ['2026-12-03'], ['2026-13-03T14:15'], ['2026-12-03T14:15:00+99:00'], ['1999-12-31T23:00'], ['2027-06-01T10:00'], ['x'.repeat(10_000)]])(
    'an unreadable or implausible --start (%#) is an error, never a guess',
    (start) => {
      const error = placeError('20261203_141500.wav', { start });
      expect(error.code).toBe('INVALID_START');
      expect(error.message.length).toBeLessThan(400);
    },
  );

  it('rejects a zero or non-finite length and an unknown time zone', () => {
    expect(placeError('20261203_141500.wav', { durationMs: 0 }).code).toBe('INVALID_DURATION');
    expect(placeError('20261203_141500.wav', { durationMs: Number.NaN }).code).toBe('INVALID_DURATION');
    expect(placeError('20261203_141500.wav', { timezone: 'Mars/Olympus' }).code).toBe('INVALID_TIMEZONE');
  });
});

describe('splitByLocalDay', () => {
  it('keeps a recording within one day whole', () => {
    const start = Date.parse('2026-12-03T13:15:00Z');
    expect(splitByLocalDay(start, start + 10 * MINUTE, BERLIN)).toEqual([{ localDate: '2026-12-03', startMs: start, endMs: start + 10 * MINUTE }]);
  });

  it('splits at local midnight, not UTC midnight', () => {
    const start = Date.parse('2026-12-03T22:30:00Z'); // 23:30 Berlin
    const end = Date.parse('2026-12-03T23:30:00Z'); // 00:30 Berlin next day
    const midnight = Date.parse('2026-12-03T23:00:00Z');
    expect(splitByLocalDay(start, end, BERLIN)).toEqual([
      { localDate: '2026-12-03', startMs: start, endMs: midnight },
      { localDate: '2026-12-04', startMs: midnight, endMs: end },
    ]);
  });

  it('covers a 25-hour local day across the fall-back change in two parts', () => {
    const start = Date.parse('2026-10-24T22:00:00Z'); // 2026-10-25 00:00 CEST
    const end = Date.parse('2026-10-25T23:30:00Z'); // 2026-10-26 00:30 CET
    const parts = splitByLocalDay(start, end, BERLIN);
    expect(parts.map((p) => p.localDate)).toEqual(['2026-10-25', '2026-10-26']);
    expect(parts[0].endMs - parts[0].startMs).toBe(25 * 60 * MINUTE);
  });

  it('a multi-day recording gets one part per day, contiguous', () => {
    const start = Date.parse('2026-12-01T12:00:00Z');
    const end = Date.parse('2026-12-04T12:00:00Z');
    const parts = splitByLocalDay(start, end, BERLIN);
    expect(parts.map((p) => p.localDate)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    for (let i = 1; i < parts.length; i++) expect(parts[i].startMs).toBe(parts[i - 1].endMs);
  });
});

describe('placeRecording: DST in an explicit start and a tag without offset', () => {
  it('reads both with the same first-occurrence rule as names', () => {
    expect(new Date(place('x.wav', { start: '2026-10-25T02:30:00' }).startMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(place('x.wav', { tags: { date: '2026-10-25 02:30:00' } }).startMs).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(place('x.wav', { start: '2026-03-29T02:30:00' }).startMs).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
