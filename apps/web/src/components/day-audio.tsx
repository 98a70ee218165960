import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { DayArchive } from '../api/archive-types';
import { formatBytes } from '../lib/archive-format';
import { plural } from '../lib/format';
import '../styles/archive.css';

/**
 * "Download this day's audio" on the day page, shown only when some of the day's audio is kept
 * (the archive). The link downloads a zip the gateway streams; nothing is loaded into the page.
 * A failed look-up shows nothing: the day page stays usable without it.
 */
export function DayAudioDownload({ date }: { date: string }) {
  const [kept, setKept] = useState<DayArchive | null>(null);
  useEffect(() => {
    let live = true;
    setKept(null);
    api
      .dayArchive(date)
      .then((day) => live && setKept(day))
      .catch(() => live && setKept(null));
    return () => {
      live = false;
    };
  }, [date]);

  if (!kept || kept.windows === 0) return null;
  return (
    <div class="row day-audio">
      <a class="button" href={api.dayAudioUrl(date)} download={`giggles-audio-${date}.zip`}>
        Download this day's audio
      </a>
      <span class="muted">
        {plural(kept.windows, 'recording')}, {formatBytes(kept.bytes)} (zip of Ogg files)
      </span>
    </div>
  );
}
