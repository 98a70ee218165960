import { describe, expect, it } from 'vitest';
import { isIanaTimezone, isIsoInstant, isLocalDate } from '../src';

describe('isLocalDate', () => {
  it('accepts real calendar days only', () => {
    expect(['2024-02-29', '2023-12-31', '1999-01-01'].every(isLocalDate)).toBe(true);
    expect(['2023-02-29', '2024-04-31', '2024-00-10', '2024-1-01', '2024-01-01T00:00Z', ' 2024-01-01', 20240101].some(isLocalDate)).toBe(false);
  });
});

describe('isIanaTimezone', () => {
  it('accepts zone names the runtime knows and rejects offsets and junk', () => {
    expect(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'].every(isIanaTimezone)).toBe(true);
    expect(['+01:00', 'Mars/Base', 'Europe/', '', 'Europe/Berlin ', null].some(isIanaTimezone)).toBe(false);
  });
});

describe('isIsoInstant', () => {
  it('needs a date, a time and a zone', () => {
    expect(['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.123456789+05:30', new Date(0).toISOString()].every(isIsoInstant)).toBe(true);
    expect(['2024-05-01', '2024-05-01T12:00:00', '2024-05-01T24:00:00Z', '2024-05-01T12:00:00+25:00', '2024-02-30T00:00:00Z'].some(isIsoInstant)).toBe(false);
  });
});
