import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { ImportView } from '../api/upload-types';
import { Empty, ErrorState, Loading } from '../components/states';
import { errorWords, startToSend, UploadItem, withSeconds, type ItemPhase, type PickedFile } from '../components/upload-item';
import { formatDate, plural } from '../lib/format';
import { resumableOffset, uploadAndImport } from '../lib/resumable-upload';
import { audioDuration, type PlacementPreview } from '../lib/upload-placement';
import { useSession } from '../session';
import '../styles/upload.css';

const POLL_MS = 2_000;
const ACCEPT = 'audio/*,.m4a,.mp3,.ogg,.opus,.oga,.wav,.flac,.webm,.aac,.amr,.3gp';

type Placer = typeof import('../lib/placement-preview');
/** music-metadata and the placement rules load once, when the first files are picked. */
let placerLoad: Promise<Placer> | undefined;
const loadPlacer = () => (placerLoad ??= import('../lib/placement-preview'));

/**
 * "Upload recordings": pick or drop files, see where each will land (from its own recording time,
 * its name, or a start you set — the server's rules, run in the browser) before anything is sent, then per file the upload's progress, the processing, and its
 * laughs per day with links — or what was wrong with it. Uploads resume after a reload (pick the
 * same files again). No Limitless key needed.
 */
export function UploadPage() {
  const { me } = useSession();
  const [placer, setPlacer] = useState<Placer>();
  const [items, setItems] = useState<PickedFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [history, setHistory] = useState<{ imports?: ImportView[]; error?: string }>({});
  const abort = useRef(new AbortController());

  const loadHistory = useCallback(async () => {
    try {
      setHistory({ imports: (await api.imports()).imports });
    } catch (err) {
      setHistory({ error: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    void loadHistory();
    const controller = abort.current;
    return () => controller.abort();
  }, [loadHistory]);

  const update = (id: string, change: Partial<PickedFile>) => setItems((all) => all.map((i) => (i.id === id ? { ...i, ...change } : i)));
  const setPhase = (id: string, state: ItemPhase) => update(id, { state });

  const add = async (files: FileList | File[]) => {
    const picked: PickedFile[] = Array.from(files).map((file) => ({
      id: `${file.name}-${file.size}-${file.lastModified}-${Math.random().toString(36).slice(2)}`,
      file,
      resumeFrom: 0,
      state: { phase: 'ready' },
    }));
    setItems((all) => [...all, ...picked]);
    const module = await loadPlacer();
    setPlacer(() => module);
    for (const item of picked) {
      const [durationS, resumeFrom, tags] = await Promise.all([audioDuration(item.file), resumableOffset(item.file), module.readTags(item.file)]);
      update(item.id, { durationS, resumeFrom, tags });
    }
  };

  const previewOf = (item: PickedFile): PlacementPreview => {
    if (!placer || !item.tags) return { state: 'reading' };
    const start = item.editedStart ? withSeconds(item.editedStart) : undefined;
    return placer.previewPlacement({ fileName: item.file.name, durationS: item.durationS, timezone: me.timezone, tags: item.tags, start });
  };

  const follow = async (id: string, importId: string, duplicate: boolean) => {
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (abort.current.signal.aborted) return;
      try {
        const record = await api.importOne(importId);
        if (record.state !== 'processing') {
          setPhase(id, { phase: 'done', record, duplicate });
          void loadHistory();
          return;
        }
      } catch {
        // a hiccup: ask again next round
      }
    }
  };

  const uploadAll = async () => {
    setBusy(true);
    for (const item of items.filter((i) => i.state.phase === 'ready')) {
      try {
        setPhase(item.id, { phase: 'uploading', sent: item.resumeFrom });
        const reply = await uploadAndImport(item.file, startToSend(item), (sent) => setPhase(item.id, { phase: 'uploading', sent }), abort.current.signal);
        const { import: record, duplicate } = reply;
        if (record.state === 'processing' && !duplicate) {
          setPhase(item.id, { phase: 'processing', record, duplicate });
          void follow(item.id, record.importId, duplicate);
        } else {
          setPhase(item.id, { phase: 'done', record, duplicate });
        }
      } catch (err) {
        if (abort.current.signal.aborted) return;
        const message = err instanceof ApiError && err.status === 413 ? `Too large: ${err.message}` : err instanceof Error ? err.message : String(err);
        setPhase(item.id, { phase: 'error', message });
      }
    }
    setBusy(false);
    void loadHistory();
  };

  const ready = items.filter((i) => i.state.phase === 'ready');

  return (
    <div class="stack">
      <h1>Upload recordings</h1>
      <p class="muted">
        Phone voice memos, recorder files, exports from anywhere: Ogg, WAV, MP3, M4A, FLAC, WebM. Each file is placed on your timeline from its own
        recording time or the date and time in its name (like <code>20261203_141500</code>) — or set the start yourself. No Limitless key needed.
      </p>

      <label
        class="dropzone"
        data-dragging={dragging ? 'true' : undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer?.files.length) void add(e.dataTransfer.files);
        }}
      >
        <input
          type="file"
          class="visually-hidden"
          multiple
          accept={ACCEPT}
          disabled={busy}
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            if (input.files?.length) void add(input.files);
            input.value = '';
          }}
        />
        <span class="dropzone__title">Choose recordings</span>
        <span class="muted">or drop them here</span>
      </label>

      {items.length > 0 && (
        <section class="stack" aria-labelledby="picked-title">
          <h2 id="picked-title">{plural(items.length, 'file')}</h2>
          <ul class="uploads">
            {items.map((item) => (
              <UploadItem
                key={item.id}
                item={item}
                preview={previewOf(item)}
                busy={busy}
                onStart={(value) => update(item.id, { editedStart: value || undefined })}
                onRemove={() => setItems((all) => all.filter((i) => i.id !== item.id))}
              />
            ))}
          </ul>
          {ready.length > 0 && (
            <div>
              <button type="button" class="button button--primary" onClick={uploadAll} disabled={busy}>
                {busy ? 'Uploading…' : `Upload and find laughs (${plural(ready.length, 'file')})`}
              </button>
            </div>
          )}
        </section>
      )}

      <section class="stack" aria-labelledby="imports-title">
        <h2 id="imports-title">Your uploads</h2>
        {history.error ? (
          <ErrorState message={history.error} onRetry={loadHistory} />
        ) : !history.imports ? (
          <Loading label="Loading your uploads…" />
        ) : history.imports.length === 0 ? (
          <Empty title="Nothing uploaded yet">
            <p>Recordings you upload (or import with giggles import) are listed here with their laughs.</p>
          </Empty>
        ) : (
          <ul class="imports">
            {history.imports.map((record) => (
              <li key={record.importId} class="imports__item" data-state={record.state}>
                <span class="upload__name">{record.fileName}</span>
                <span class="muted">
                  {record.state === 'processing'
                    ? 'processing…'
                    : record.state === 'rejected' || record.state === 'failed'
                      ? errorWords(record)
                      : record.days.map((d, i) => (
                          <span key={d.localDate}>
                            {i > 0 ? ' · ' : ''}
                            {plural(d.laughs, 'laugh')} on <a href={`/day/${d.localDate}`}>{formatDate(d.localDate, 'short')}</a>
                          </span>
                        ))}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
