import { describe, expect, it } from 'vitest';
import { factsFrom } from '../src/adapters/recording-probe.adapter';
import { displayFileName } from '../src/services/import-file-name';
import { needsFaststart } from '../src/services/import-ports';
import { importJobId } from '../src/services/import.service';
import { isImportRefusal } from '../src/services/import-refusal';

describe('import helpers', () => {
  it.each([
    ['20261203_141500.m4a', '20261203_141500.m4a'],
    ['/home/me/phone/20261203_141500.m4a', '20261203_141500.m4a'],
    ['C:\\Users\\me\\memo.wav', 'memo.wav'],
    ['../../etc/passwd', 'passwd'],
    ['\u202egpj.exe\u0000\n', 'gpj.exe'],
    ['', 'recording'],
    ['/', 'recording'],
    ['😀'.repeat(300), '😀'.repeat(255)],
  ])('lists %j as %j (shown only, never a path)', (raw, shown) => {
    expect(displayFileName(raw)).toBe(shown);
  });

  it('reads length and tags from ffprobe JSON, stream tags under format tags', () => {
    const facts = factsFrom({
      format: { duration: '60.5', format_name: 'mov,mp4,m4a,3gp,3g2,mj2', tags: { creation_time: '2026-12-03T13:15:00.000000Z' } },
      streams: [{ duration: '60.48', tags: { creation_time: '2000-01-01T00:00:00Z', language: 'und' } }],
    });
    expect(facts).toEqual({ durationMs: 60_480, format: 'mov,mp4,m4a,3gp,3g2,mj2', tags: { creation_time: '2026-12-03T13:15:00.000000Z', language: 'und' } });
    expect(needsFaststart(facts.format)).toBe(true);
    expect(needsFaststart('ogg')).toBe(false);
    expect(needsFaststart('matroska,webm')).toBe(false);
  });

  it.each([[{}], [{ streams: [] }], [{ streams: [{}], format: {} }], [{ streams: [{ duration: 'N/A' }] }], [{ streams: [{ duration: '0' }] }], [null]])(
    'refuses ffprobe output without an audio stream or a length: %j',
    (json) => {
      let thrown: unknown;
      try {
        factsFrom(json);
      } catch (error) {
        thrown = error;
      }
      expect(isImportRefusal(thrown)).toBe(true);
    },
  );

  it('names each day part of an import like migration 0013 does', () => {
    expect(importJobId('0b9f6a55-8d1c-4f0e-9f5e-1c2d3e4f5a6b', '2026-12-03')).toBe('import-0b9f6a55-8d1c-4f0e-9f5e-1c2d3e4f5a6b-2026-12-03');
  });
});
