/** The gateway's upload and import shapes (docs/api.md "Uploads and imports"). */

export interface UploadState {
  uploadId: string;
  fileName: string;
  size: number;
  offset: number;
  maxChunkBytes: number;
  createdAt: string;
}

export type ImportState = 'rejected' | 'processing' | 'done' | 'failed';

export interface ImportView {
  importId: string;
  fileName: string;
  bytes: number;
  source: 'cli' | 'upload';
  state: ImportState;
  placedBy?: 'start' | 'embedded' | 'name';
  startMs?: number;
  endMs?: number;
  timezone?: string;
  days: { localDate: string; laughs: number }[];
  laughs: number;
  error?: { code: string; message: string };
  createdAt: string;
}

export interface UploadFinished {
  import: ImportView;
  duplicate: boolean;
}
