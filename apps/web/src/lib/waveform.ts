/**
 * Decodes a clip with WebAudio and reduces it to peaks for drawing. Decoding uses an
 * OfflineAudioContext, which needs no user gesture (no autoplay warnings) and renders nothing.
 */
import { laughSpanInClip } from './clip-span';

export interface Peaks {
  durationS: number;
  /** Per column: [min, max] of the samples in it, −1..1. */
  columns: Float32Array;
}

export async function decodePeaks(bytes: ArrayBuffer, columns: number): Promise<Peaks> {
  const ctx = new OfflineAudioContext(1, 1, 16_000);
  const audio = await ctx.decodeAudioData(bytes);
  const samples = audio.getChannelData(0);
  const out = new Float32Array(columns * 2);
  const per = Math.max(1, Math.floor(samples.length / columns));
  for (let c = 0; c < columns; c++) {
    let min = 1;
    let max = -1;
    const end = Math.min(samples.length, (c + 1) * per);
    for (let i = c * per; i < end; i++) {
      const v = samples[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    out[c * 2] = min > max ? 0 : min;
    out[c * 2 + 1] = min > max ? 0 : max;
  }
  return { durationS: audio.duration, columns: out };
}

export interface DrawColors {
  wave: string;
  highlight: string;
  highlightWave: string;
  playhead: string;
}

export function drawWaveform(canvas: HTMLCanvasElement, peaks: Peaks, laughDurationS: number, positionS: number, colors: DrawColors): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const span = laughSpanInClip(peaks.durationS, laughDurationS);
  const xOf = (s: number) => (s / Math.max(peaks.durationS, 0.001)) * width;
  g.fillStyle = colors.highlight;
  g.fillRect(xOf(span.startS), 0, Math.max(1, xOf(span.endS) - xOf(span.startS)), height);
  const n = peaks.columns.length / 2;
  const mid = height / 2;
  for (let c = 0; c < n; c++) {
    const x = (c / n) * width;
    const t = (c / n) * peaks.durationS;
    g.fillStyle = t >= span.startS && t <= span.endS ? colors.highlightWave : colors.wave;
    const top = mid - peaks.columns[c * 2 + 1] * mid;
    const bottom = mid - peaks.columns[c * 2] * mid;
    g.fillRect(x, top, Math.max(1, width / n - 0.5), Math.max(1, bottom - top));
  }
  if (positionS > 0) {
    g.fillStyle = colors.playhead;
    g.fillRect(xOf(positionS) - 1, 0, 2, height);
  }
}
