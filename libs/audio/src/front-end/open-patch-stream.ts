import { openPatchStreamInThread } from './in-thread-patch-stream';
import { type PatchStream, type PatchStreamOptions } from './patch-stream';
import { openPatchStreamInWorker } from './worker-patch-stream';

/**
 * Opens a recording (file path or byte stream) as a stream of slices and log-mel patches. With
 * `worker` (the default) decoding and the front end run in a worker thread, leaving this thread to
 * the consumer (YAMNet); without, everything runs here. Both give the same slices, patches and
 * errors.
 */
export function openPatchStream(source: string | AsyncIterable<Uint8Array>, options: PatchStreamOptions & { worker?: boolean }): Promise<PatchStream> {
  const { worker = true, ...rest } = options;
  return worker ? openPatchStreamInWorker(source, rest) : openPatchStreamInThread(source, rest);
}
