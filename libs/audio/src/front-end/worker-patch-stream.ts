import { acquireFrontEndWorker, releaseFrontEndWorker } from './front-end-worker-pool';
import { unpackPatches } from './pack-patches';
import { type FrontEndChunk, type FrontEndSlice, type FrontEndTimings, type PatchStream, type PatchStreamOptions } from './patch-stream';
import { deserializeError, type FromWorker, type SerializedError, serializeError, type ToWorker } from './worker-protocol';

/**
 * Chunks the worker may decode ahead of the consumer. Two keep the worker busy while the main
 * thread runs a batch of inference (onnxruntime-node runs synchronously on the calling thread),
 * and bound memory to a few seconds of samples and patches (an Opus chunk is ~20 s of audio).
 */
const MAX_CHUNKS_AHEAD = 2;

type Settled = Extract<FromWorker, { type: 'opened' | 'chunk' | 'done' | 'failed' }>;

/**
 * The front end in a worker thread (decode + resample + log-mel), so that it runs on one core while
 * the calling thread runs YAMNet on the other. Same chunks, patches and errors as the in-thread path.
 */
export async function openPatchStreamInWorker(source: string | AsyncIterable<Uint8Array>, options: PatchStreamOptions): Promise<PatchStream> {
  const { signal } = options;
  signal?.throwIfAborted();
  const worker = acquireFrontEndWorker();
  const queue: Settled[] = [];
  let wake: (() => void) | undefined;
  /** Why the job stopped from this side (worker crash, abort); thrown as is, like openAudio does. */
  let failure: { reason: unknown } | undefined;
  let finished = false;
  let timings: FrontEndTimings = { decodeMs: 0, featuresMs: 0 };
  const byteSource = typeof source === 'string' ? undefined : source[Symbol.asyncIterator]();
  /** An error of the caller's own byte stream is rethrown as the caller's object, not a copy. */
  let sourceError: { error: unknown } | undefined;
  const workerError = (error: SerializedError): unknown => sourceError?.error ?? deserializeError(error);

  const fail = (reason: unknown) => {
    failure ??= { reason };
    wake?.();
  };
  const post = (message: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
  const pull = async () => {
    try {
      const next = await (byteSource as AsyncIterator<Uint8Array>).next();
      if (next.done) return post({ type: 'bytes-end' });
      // A copy with its own buffer: a view would drag its whole (possibly pooled) buffer across.
      const chunk = new Uint8Array(next.value);
      post({ type: 'bytes', chunk }, [chunk.buffer as ArrayBuffer]);
    } catch (error) {
      sourceError = { error };
      post({ type: 'bytes-error', error: serializeError(error) });
    }
  };

  worker.on('message', (message: FromWorker) => {
    if (message.type === 'pull') void pull();
    else {
      if (message.type === 'done' || message.type === 'failed') timings = message.timings;
      queue.push(message);
      wake?.();
    }
  });
  worker.on('error', (error) => fail(new Error(`the audio front-end worker failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`the audio front-end worker exited (code ${code})`)));
  const onAbort = () => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  const release = async (reusable: boolean) => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    releaseFrontEndWorker(worker, reusable);
    // Stops a streamed source the worker did not read to the end (a no-op once it is exhausted).
    await byteSource?.return?.().catch(() => undefined);
  };

  /** The next settled message, or the failure that stopped the job. */
  const next = async (): Promise<Settled> => {
    for (;;) {
      if (failure) throw failure.reason;
      const message = queue.shift();
      if (message) return message;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };

  let opened: Extract<FromWorker, { type: 'opened' }>;
  try {
    post({
      type: 'start',
      path: typeof source === 'string' ? source : undefined,
      ffmpegPath: options.ffmpegPath,
      sliceSamples: options.sliceSamples,
      withSamples: options.withSamples,
      maxChunksAhead: MAX_CHUNKS_AHEAD,
    });
    const first = await next();
    // A job that fails before any audio (not found, not audio, …) settles with 'failed' instead.
    if (first.type === 'failed') throw workerError(first.error);
    if (first.type !== 'opened') throw new Error(`the audio front-end worker sent ${first.type} before opening`);
    opened = first;
  } catch (error) {
    await release(failure === undefined);
    throw error;
  }

  let endPatches: Float32Array[] | undefined;

  async function* chunks(): AsyncGenerator<FrontEndChunk> {
    try {
      for (;;) {
        const message = await next();
        if (message.type === 'failed') {
          await release(true);
          throw workerError(message.error);
        }
        if (message.type === 'opened') continue; // only ever first, handled above
        if (message.type === 'done') {
          endPatches = unpackPatches(message.endPatches, 0, message.endCount);
          await release(true);
          return;
        }
        post({ type: 'credit' });
        yield toChunk(message);
      }
    } finally {
      await release(false); // a no-op after a normal end; stops the worker when the consumer quits early
    }
  }

  return {
    info: opened.info,
    chunks: chunks(),
    end: () => {
      if (!endPatches) return Promise.reject(new Error('PatchStream.end() before the chunks were read to the end'));
      return Promise.resolve(endPatches);
    },
    timings: () => ({ ...timings }),
    close: () => release(false),
  };
}

function toChunk(message: Extract<FromWorker, { type: 'chunk' }>): FrontEndChunk {
  const slices: FrontEndSlice[] = [];
  let sample = 0;
  let patch = 0;
  for (let i = 0; i < message.sliceLengths.length; i++) {
    const length = message.sliceLengths[i];
    const count = message.patchCounts[i];
    slices.push({
      length,
      samples: message.samples?.subarray(sample, sample + length),
      patches: unpackPatches(message.patches, patch, count),
    });
    sample += length;
    patch += count;
  }
  return { slices };
}
