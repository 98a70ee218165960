import type { ImportView } from '../api/upload-types';
import { formatDate, formatClock, plural } from '../lib/format';
import { describeRange, PLACED_BY, type PlacementPreview } from '../lib/upload-placement';

/** One picked file from choosing to done: where it will land (editable), progress, then its outcome. */
export type ItemPhase =
  | { phase: 'ready' }
  | { phase: 'uploading'; sent: number }
  | { phase: 'processing'; record: ImportView; duplicate: boolean }
  | { phase: 'done'; record: ImportView; duplicate: boolean }
  | { phase: 'error'; message: string };

export interface PickedFile {
  id: string;
  file: File;
  durationS?: number;
  /** The file's tags as ffprobe names them (undefined while they are being read). */
  tags?: Record<string, string>;
  /** What the user typed (datetime-local value), when they changed the start. */
  editedStart?: string;
  resumeFrom: number;
  state: ItemPhase;
}

/** Only a start the user set is sent: otherwise the server places the file itself, as previewed. */
export function startToSend(item: PickedFile): string | undefined {
  return item.editedStart ? withSeconds(item.editedStart) : undefined;
}

export function withSeconds(local: string): string {
  return local.length === 16 ? `${local}:00` : local;
}

function sizeLabel(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function landing(record: ImportView): string {
  if (record.startMs === undefined || record.endMs === undefined || !record.timezone) return '';
  const first = record.days[0]?.localDate;
  return `${first ? formatDate(first, 'short') : ''}, ${formatClock(record.startMs, record.timezone)}–${formatClock(record.endMs, record.timezone)}`;
}

export function UploadItem({
  item,
  preview,
  onStart,
  onRemove,
  busy,
}: {
  item: PickedFile;
  preview: PlacementPreview;
  onStart: (value: string) => void;
  onRemove: () => void;
  busy: boolean;
}) {
  const { file, state } = item;
  return (
    <li class="upload" data-phase={state.phase}>
      <div class="upload__head">
        <span class="upload__name">{file.name}</span>
        <span class="upload__size muted">{sizeLabel(file.size)}</span>
      </div>

      {state.phase === 'ready' && (
        <div class="upload__where">
          <p class="upload__landing" data-source={preview.state === 'placed' ? preview.source : preview.state}>
            {preview.state === 'reading' ? (
              <span class="muted">Reading when it was recorded…</span>
            ) : preview.state === 'placed' ? (
              <>
                <strong>{describeRange(preview.localStart, preview.localEnd)}</strong>
                <span class="muted" title={preview.evidence}>
                  {' '}
                  · {PLACED_BY[preview.source]}
                </span>
              </>
            ) : preview.code === 'INVALID_START' ? (
              <span class="form-error">{preview.message.replace(/^cannot read the start "[^"]*": /, '')}</span>
            ) : (
              <span>Cannot tell when this was recorded — set “Recording started” below.</span>
            )}
          </p>
          {item.resumeFrom > 0 && <p class="muted">{Math.round((item.resumeFrom / file.size) * 100)}% already uploaded — it goes on from there.</p>}
          <label class="field upload__start">
            <span class="field__label">Recording started</span>
            <input
              class="field__input"
              type="datetime-local"
              step={1}
              value={(item.editedStart ?? (preview.state === 'placed' ? preview.localStart : '')).slice(0, 19)}
              onInput={(e) => onStart((e.target as HTMLInputElement).value)}
              disabled={busy}
            />
          </label>
          <button type="button" class="button button--quiet" onClick={onRemove} disabled={busy}>
            Remove
          </button>
        </div>
      )}

      {state.phase === 'uploading' && (
        <div class="upload__progress">
          <progress max={file.size} value={state.sent} aria-label={`Uploading ${file.name}`} />
          <span class="muted">Uploading… {Math.floor((state.sent / file.size) * 100)}%</span>
        </div>
      )}

      {state.phase === 'processing' && (
        <p class="upload__status" role="status">
          <span class="spinner" aria-hidden="true" /> Finding laughs in {landing(state.record)}…
        </p>
      )}

      {state.phase === 'done' && <Outcome record={state.record} duplicate={state.duplicate} />}

      {state.phase === 'error' && (
        <p class="form-error" role="alert">
          {state.message}
        </p>
      )}
    </li>
  );
}

function Outcome({ record, duplicate }: { record: ImportView; duplicate: boolean }) {
  if (record.state === 'rejected' || record.state === 'failed') {
    return (
      <p class="form-error" role="alert">
        {errorWords(record)}
      </p>
    );
  }
  return (
    <p class="upload__done">
      {duplicate ? 'Already uploaded before — ' : ''}
      {record.days.map((d, i) => (
        <span key={d.localDate}>
          {i > 0 ? ' · ' : ''}
          {plural(d.laughs, 'laugh')} on <a href={`/day/${d.localDate}`}>{formatDate(d.localDate, 'short')}</a>
        </span>
      ))}
      <span class="muted"> ({landing(record)})</span>
    </p>
  );
}

/** Plain words per refusal code; the server's own sentence follows. */
export function errorWords(record: ImportView): string {
  const code = record.error?.code;
  // The server's sentence starts with its own summary ("not a supported audio file: …"); the
  // page's words replace that part.
  const detail = (record.error?.message ?? '').replace(/^(not a supported audio file|the audio is damaged|the file holds no audio): /i, '');
  switch (code) {
    case 'CANNOT_PLACE':
      return 'Cannot tell when this was recorded: set “Recording started” and upload it again.';
    case 'INVALID_START':
      return `That start cannot be used: ${detail}`;
    case 'UNSUPPORTED':
      return `Not an audio file Giggles can read: ${detail}`;
    case 'CORRUPT':
    case 'AUDIO_CORRUPT':
    case 'AUDIO_TRUNCATED':
      return `The audio is damaged: ${detail}`;
    case 'EMPTY':
    case 'AUDIO_EMPTY':
      return 'The file holds no audio.';
    case 'IMPORT_INTERRUPTED':
      return 'Processing was interrupted: upload the same file again.';
    case 'TOO_LONG':
      return `Too long: ${detail}`;
    default:
      return detail || 'This file could not be processed.';
  }
}
