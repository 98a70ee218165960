/**
 * A day's archived windows as one zip, streamed: one stored (uncompressed — Opus is compressed
 * already) `.ogg` entry per window, named by the window's local start and end time, each entry's
 * bytes pulled from persistence chunk by chunk only when yazl reaches it. Memory stays at about
 * one chunk per entry being written, whatever the day's size.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { type ArchivedWindow } from '@giggles/contracts';
import { localTimeOf } from '../laughter/local-time';

/** `2024-03-01 00-00 to 02-00.ogg`: sorts by time, no characters any file system refuses. */
export function windowFileName(localDate: string, window: Pick<ArchivedWindow, 'windowStartMs' | 'windowEndMs'>, timezone: string): string {
  const hm = (ms: number) => localTimeOf(ms, timezone).slice(0, 5).replace(':', '-');
  return `${localDate} ${hm(window.windowStartMs)} to ${hm(window.windowEndMs)}.ogg`;
}

/** Names are unique within a zip even when two windows share a local minute (a DST fall-back hour). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : name.replace(/\.ogg$/, ` (${n}).ogg`);
  });
}

export function dayAudioZip(
  localDate: string,
  timezone: string,
  windows: ArchivedWindow[],
  read: (window: ArchivedWindow) => AsyncIterable<Buffer>,
): Readable {
  const zip = new ZipFile();
  const names = uniqueNames(windows.map((w) => windowFileName(localDate, w, timezone)));
  windows.forEach((window, i) => {
    zip.addReadStreamLazy(
      names[i],
      { compress: false, mtime: new Date(window.windowStartMs), size: window.bytes },
      (callback: (error: Error | null, stream: NodeJS.ReadableStream) => void) => callback(null, Readable.from(read(window))),
    );
  });
  zip.end();
  const output = zip.outputStream as Readable;
  // A window that cannot be read mid-zip (deleted meanwhile, persistence gone) ends the download
  // with an error rather than a zip that silently lacks it.
  zip.on('error', (error: Error) => output.destroy(error));
  return output;
}
