/**
 * Worker-thread entry of the audio front end: runs openPatchStreamInThread for one job at a time
 * and sends each decoded chunk's slices and patches to the main thread as transferred typed
 * arrays, never more than `maxChunksAhead` chunks ahead of what the main thread has taken.
 */
import { parentPort } from 'node:worker_threads';
import { openPatchStreamInThread } from './in-thread-patch-stream';
import { type FrontEndTimings, type PatchStream } from './patch-stream';
import { deserializeError, type FromWorker, serializeError, type ToWorker } from './worker-protocol';
import { packPatches } from './pack-patches';

if (!parentPort) throw new Error('front-end-worker must run in a worker thread');
const port = parentPort;

type ByteReply = Extract<ToWorker, { type: 'bytes' | 'bytes-end' | 'bytes-error' }>;
let byteReply: ((message: ByteReply) => void) | undefined;
let credits = 0;
let creditWaiter: (() => void) | undefined;
let busy = false;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      if (busy) throw new Error('front-end worker: start while busy');
      busy = true;
      credits = message.maxChunksAhead;
      void runJob(message).finally(() => {
        busy = false;
      });
      return;
    case 'credit':
      credits++;
      creditWaiter?.();
      creditWaiter = undefined;
      return;
    default:
      byteReply?.(message);
      byteReply = undefined;
  }
});

/** The streamed source: one 'pull' per chunk, so at most one chunk of bytes is on its way. */
async function* pulledBytes(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const reply = await new Promise<ByteReply>((resolve) => {
      byteReply = resolve;
      send({ type: 'pull' });
    });
    if (reply.type === 'bytes-end') return;
    if (reply.type === 'bytes-error') throw deserializeError(reply.error);
    yield reply.chunk;
  }
}

async function runJob(job: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  let stream: PatchStream | undefined;
  const noTimings: FrontEndTimings = { decodeMs: 0, featuresMs: 0 };
  try {
    stream = await openPatchStreamInThread(job.path ?? pulledBytes(), {
      ffmpegPath: job.ffmpegPath,
      sliceSamples: job.sliceSamples,
      withSamples: job.withSamples,
    });
    send({ type: 'opened', info: stream.info });
    for await (const chunk of stream.chunks) {
      while (credits <= 0) await new Promise<void>((resolve) => (creditWaiter = resolve));
      credits--;
      const sliceLengths = Int32Array.from(chunk.slices, (s) => s.length);
      const patchCounts = Int32Array.from(chunk.slices, (s) => s.patches.length);
      const patches = packPatches(chunk.slices.flatMap((s) => s.patches));
      const transfer = [patches.buffer as ArrayBuffer];
      let samples: Float32Array | undefined;
      if (job.withSamples) {
        samples = new Float32Array(sliceLengths.reduce((a, b) => a + b, 0));
        let at = 0;
        for (const slice of chunk.slices) {
          samples.set(slice.samples as Float32Array, at);
          at += slice.length;
        }
        transfer.push(samples.buffer as ArrayBuffer);
      }
      send({ type: 'chunk', sliceLengths, patchCounts, patches, samples }, transfer);
    }
    const endPatches = await stream.end();
    const packed = packPatches(endPatches);
    send({ type: 'done', endPatches: packed, endCount: endPatches.length, timings: stream.timings() }, [packed.buffer as ArrayBuffer]);
  } catch (error) {
    await stream?.close().catch(() => undefined);
    send({ type: 'failed', error: serializeError(error), timings: stream?.timings() ?? noTimings });
  }
}

