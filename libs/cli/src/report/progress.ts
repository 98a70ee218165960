import { SingleBar } from 'cli-progress';
import { clockTime } from './table-report';

/**
 * Progress on stderr for long files: audio time done / total and speed (× realtime). Only on a
 * terminal, so piped or captured output stays clean. The total is estimated from the file size
 * and the first seconds decoded (Ogg Opus has no cheap duration field), and refined as it goes.
 */
export class AnalysisProgress {
  private bar?: SingleBar;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly fileBytes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(audioS: number, bytesRead?: number): void {
    if (!this.stream.isTTY) return;
    const elapsedS = (performance.now() - this.started) / 1000;
    if (!this.bar) {
      if (elapsedS < 0.5) return; // short files finish before a bar would help
      this.bar = new SingleBar(
        { format: `{label} [{bar}] {done} / {total} audio  {speed}× realtime`, stream: this.stream, hideCursor: true, clearOnComplete: true, barsize: 30 },
      );
      this.bar.start(1, 0, { label: this.label, done: '', total: '', speed: '' });
    }
    const fraction = bytesRead && this.fileBytes > 0 ? Math.min(1, bytesRead / this.fileBytes) : 0;
    const totalS = fraction > 0.01 ? audioS / fraction : audioS;
    this.bar.setTotal(Math.max(totalS, audioS, 1e-9));
    this.bar.update(audioS, {
      label: this.label,
      done: clockTime(audioS),
      total: `~${clockTime(totalS)}`,
      speed: elapsedS > 0 ? Math.round(audioS / elapsedS).toString() : '-',
    });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
