import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOggOpus } from './decode-ogg-opus';
import { cutWindow } from './ogg-cut';
import { OGG_BOS, OGG_EOS, oggPackets, parseOggPages } from './ogg-pages';
import { loadOpusRecording } from './recording';
import { evalRecording } from './test-recordings';
import { Timeline } from './timeline';

const RATE = 16_000;
const PER_MS = RATE / 1000;
const FRAME = 20 * PER_MS; // one 20 ms Opus frame at 16 kHz
const T0 = 1_700_000_000_000; // an arbitrary instant (epoch ms)

const REF_MS = 250_000;
let d1: Float32Array; // the first ≥ 250 s of long_d1, decoded from the file itself: the reference

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Energy of (a − b) relative to energy of b over n samples. */
function relErr(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number): number {
  let e = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const d = a[aOff + i] - b[bOff + i];
    e += d * d;
    p += b[bOff + i] * b[bOff + i];
  }
  return e / p;
}

/** The shift of `a` against `b` (in samples, ±maxLag) that matches best. */
function bestLag(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number, maxLag = 80): number {
  let best = 0;
  let bestErr = Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const e = relErr(a, aOff + lag, b, bOff, n);
    if (e < bestErr) [best, bestErr] = [lag, e];
  }
  return best;
}

async function decodeCut(t: Timeline, startMs: number, endMs: number, gaps: 'silence' | 'omit' = 'silence') {
  const cut = cutWindow(t.list(), startMs, endMs, { gaps });
  if (!cut) throw new Error('no audio');
  const decoded = await decodeOggOpus(Buffer.concat(cut.pages), RATE);
  expect(decoded.errors).toBe(0);
  return { cut, pcm: decoded.samples };
}

beforeAll(async () => {
  // Decode a prefix of the file (whole pages up to REF_MS) rather than all 600 s: same samples.
  const file = readFileSync(evalRecording('long_d1'));
  const end = parseOggPages(file).find((p) => p.granule > BigInt(REF_MS * 48 + 48_000));
  d1 = (await decodeOggOpus(file.subarray(0, end?.offset), RATE)).samples;
  expect(d1.length).toBeGreaterThan(REF_MS * PER_MS);
});

describe('cutWindow', () => {
  it('writes one well-formed logical stream', () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d1')));
    const cut = cutWindow(t.list(), T0 + 12_345, T0 + 75_000)!;
    const pages = parseOggPages(Buffer.concat(cut.pages)); // verifies every CRC
    expect(new Set(pages.map((p) => p.serial)).size).toBe(1);
    expect(pages.map((p) => p.sequence)).toEqual(pages.map((_, i) => i));
    expect(pages.map((p) => p.flags & OGG_BOS)).toEqual(pages.map((_, i) => (i === 0 ? OGG_BOS : 0)));
    expect(pages.map((p) => p.flags & OGG_EOS)).toEqual(pages.map((_, i) => (i === pages.length - 1 ? OGG_EOS : 0)));
    for (let i = 1; i < pages.length; i++) expect(pages[i].granule).toBeGreaterThanOrEqual(pages[i - 1].granule);
    const [head, tags] = oggPackets(pages);
    expect(head.data.toString('latin1', 0, 8)).toBe('OpusHead');
    expect(tags.data.toString('latin1', 0, 8)).toBe('OpusTags');
    const preSkip = head.data.readUInt16LE(10);
    expect(Number(pages[pages.length - 1].granule) - preSkip).toBe(cut.samples);
    expect(cut.samples).toBe((75_000 - 12_345) * 48);
    expect([cut.audioStartMs, cut.audioEndMs]).toEqual([T0 + 12_345, T0 + 75_000]);
  });

  it('returns null when no recording has audio in the window', () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d1')));
    expect(cutWindow(t.list(), T0 - 10_000, T0)).toBeNull();
    expect(cutWindow(t.list(), T0 + 600_000, T0 + 700_000)).toBeNull();
  });

  it('decodes to the window length and to the same samples as the whole file', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d1')));
    for (const [a, b] of [
      [0, 7_000],
      [61_237, 90_001],
      [200_000, 240_000],
    ]) {
      const { pcm } = await decodeCut(t, T0 + a, T0 + b);
      expect(Math.abs(pcm.length - (b - a) * PER_MS)).toBeLessThanOrEqual(FRAME);
      // Pre-roll lets the decoder converge before the cut: samples match from the first one on.
      expect(relErr(pcm, 0, d1, a * PER_MS, pcm.length - 10)).toBeLessThan(1e-3);
      expect(bestLag(pcm, 100, d1, a * PER_MS + 100, 8_000)).toBe(0);
    }
  });

  it('consecutive windows decode to the whole recording', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d1')));
    const parts: Float32Array[] = [];
    const span = 240_000;
    for (let s = 0; s < span; s += 67_000) parts.push((await decodeCut(t, T0 + s, T0 + Math.min(span, s + 67_000))).pcm);
    const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    expect(Math.abs(joined.length - span * PER_MS)).toBeLessThanOrEqual(FRAME);
    expect(relErr(joined, 0, d1, 0, joined.length)).toBeLessThan(1e-3);
  });

  it('keeps wall-clock timing across back-to-back recordings', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d2')));
    t.add(T0 + 600_000, loadOpusRecording(evalRecording('long_d1')));
    const { pcm, cut } = await decodeCut(t, T0 + 590_000, T0 + 620_000);
    expect(cut.audioStartMs).toBe(T0 + 590_000);
    expect(Math.abs(pcm.length - 30_000 * PER_MS)).toBeLessThanOrEqual(FRAME);
    expect(rms(pcm, 0, 9_900 * PER_MS)).toBeGreaterThan(1e-3);
    // long_d1 starts at window offset 10 s, to within ±1.25 ms (20 samples at 16 kHz).
    const at = 10_000 * PER_MS;
    expect(Math.abs(bestLag(pcm, at + 1_600, d1, 1_600, 64_000))).toBeLessThanOrEqual(20);
    expect(relErr(pcm, at + 1_600, d1, 1_600, 150_000)).toBeLessThan(1e-2);
  });

  it('fills gaps before and between recordings with silence so offsets stay wall-clock', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d2')));
    t.add(T0 + 605_000, loadOpusRecording(evalRecording('long_d1'))); // 5 s gap
    const { pcm } = await decodeCut(t, T0 + 595_000, T0 + 625_000);
    expect(Math.abs(pcm.length - 30_000 * PER_MS)).toBeLessThanOrEqual(FRAME);
    expect(rms(pcm, 0, 4_900 * PER_MS)).toBeGreaterThan(1e-3);
    expect(rms(pcm, 5_100 * PER_MS, 9_900 * PER_MS)).toBeLessThan(1e-4);
    expect(rms(d1, 1_600, 64_000)).toBeGreaterThan(1e-3);
    const at = 10_000 * PER_MS;
    expect(Math.abs(bestLag(pcm, at + 1_600, d1, 1_600, 64_000))).toBeLessThanOrEqual(20);
    expect(relErr(pcm, at + 1_600, d1, 1_600, 150_000)).toBeLessThan(1e-2);

    const lead = await decodeCut(t, T0 + 602_000, T0 + 615_000);
    expect(Math.abs(lead.pcm.length - 13_000 * PER_MS)).toBeLessThanOrEqual(FRAME);
    expect(rms(lead.pcm, 0, 2_900 * PER_MS)).toBeLessThan(1e-4);
    expect(Math.abs(bestLag(lead.pcm, 3_000 * PER_MS + 1_600, d1, 1_600, 64_000))).toBeLessThanOrEqual(20);
  });

  it('returns shorter audio when the window runs past the last recording', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d1')));
    const { pcm, cut } = await decodeCut(t, T0 + 590_000, T0 + 650_000);
    expect(cut.audioEndMs).toBe(T0 + 600_000);
    expect(Math.abs(pcm.length - 10_000 * PER_MS)).toBeLessThanOrEqual(FRAME);
  });

  it('in omit mode serves only recorded audio, from the first recording inside the window', async () => {
    const t = new Timeline();
    t.add(T0, loadOpusRecording(evalRecording('long_d2')));
    t.add(T0 + 605_000, loadOpusRecording(evalRecording('long_d1')));
    const lead = await decodeCut(t, T0 + 600_000, T0 + 615_000, 'omit');
    expect(lead.cut.audioStartMs).toBe(T0 + 605_000);
    expect(Math.abs(lead.pcm.length - 10_000 * PER_MS)).toBeLessThanOrEqual(FRAME);
    expect(relErr(lead.pcm, 0, d1, 0, 8_000 * PER_MS)).toBeLessThan(1e-3);

    const { pcm, cut } = await decodeCut(t, T0 + 595_000, T0 + 625_000, 'omit');
    expect(cut.audioStartMs).toBe(T0 + 595_000);
    expect(Math.abs(pcm.length - 25_000 * PER_MS)).toBeLessThanOrEqual(2 * FRAME);
    const at = 5_000 * PER_MS; // long_d1 follows long_d2's last 5 s directly
    expect(Math.abs(bestLag(pcm, at + 1_600, d1, 1_600, 64_000, 400))).toBeLessThanOrEqual(FRAME);
  });
});
