import { ApiError, api } from '../api/client';
import type { UploadFinished } from '../api/upload-types';

/**
 * Sends one file in chunks and imports it. The upload id is remembered in localStorage under the
 * file's fingerprint (name, size, last change), so after a reload, picking the same file again
 * asks the server how far it got and goes on from there instead of starting over.
 */
const STORAGE_KEY = 'giggles.uploads';

function fingerprint(file: File): string {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

function remembered(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

function remember(file: File, uploadId: string | undefined): void {
  const all = remembered();
  if (uploadId) all[fingerprint(file)] = uploadId;
  else delete all[fingerprint(file)];
  localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
}

/** Bytes the server already has of this file from an earlier page (0 when none). */
export async function resumableOffset(file: File): Promise<number> {
  const id = remembered()[fingerprint(file)];
  if (!id) return 0;
  try {
    return (await api.uploadState(id)).offset;
  } catch {
    return 0;
  }
}

export async function uploadAndImport(file: File, start: string | undefined, onProgress: (sent: number) => void, signal: AbortSignal): Promise<UploadFinished> {
  let state = await existing(file);
  if (!state) {
    state = await api.startUpload(file.name, file.size);
    remember(file, state.uploadId);
  }
  onProgress(state.offset);
  while (state.offset < file.size) {
    signal.throwIfAborted();
    const chunk = file.slice(state.offset, Math.min(file.size, state.offset + state.maxChunkBytes));
    try {
      state = await api.uploadChunk(state.uploadId, state.offset, chunk);
    } catch (error) {
      // Another tab or a retried request moved the upload on: ask where it is and go on.
      if (error instanceof ApiError && error.status === 409) state = await api.uploadState(state.uploadId);
      else throw error;
    }
    onProgress(state.offset);
  }
  const finished = await api.finishUpload(state.uploadId, start);
  remember(file, undefined);
  return finished;
}

async function existing(file: File) {
  const id = remembered()[fingerprint(file)];
  if (!id) return undefined;
  try {
    return await api.uploadState(id);
  } catch {
    remember(file, undefined);
    return undefined;
  }
}
