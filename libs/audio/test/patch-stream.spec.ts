import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError, openPatchStream, stopIdleFrontEndWorkers, type PatchStream } from '../src';
import { EVAL_DIR, HAVE_EVAL, caught, chunked, tempDir } from './helpers';

const tmp = tempDir();
afterAll(async () => {
  tmp.cleanup();
  await stopIdleFrontEndWorkers();
});
const recording = join(EVAL_DIR, 'long_d1.ogg');
/** The first 90 s or so of a real recording, cut mid-page: TRUNCATED after some audio. */
const truncated = () => {
  const path = join(tmp.dir, 'truncated.ogg');
  writeFileSync(path, readFileSync(recording).subarray(0, 250_000));
  return path;
};

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Everything a stream gives, flattened: slice lengths, samples and patches. */
async function drain(stream: PatchStream) {
  const lengths: number[] = [];
  const samples: number[] = [];
  const patches: Float32Array[] = [];
  for await (const chunk of stream.chunks) {
    for (const slice of chunk.slices) {
      lengths.push(slice.length);
      if (slice.samples) for (let i = 0; i < slice.samples.length; i += 997) samples.push(slice.samples[i]);
      patches.push(...slice.patches);
    }
  }
  patches.push(...(await stream.end()));
  return { lengths, samples, patches };
}

describe.skipIf(!HAVE_EVAL)('openPatchStream: worker thread and this thread give the same', () => {
  it('slices, samples and patches of a real recording (file and byte stream)', async () => {
    const options = { sliceSamples: 16_000, withSamples: true };
    const here = await drain(await openPatchStream(recording, { ...options, worker: false }));
    const inWorker = await drain(await openPatchStream(recording, { ...options, worker: true }));
    const streamed = await drain(await openPatchStream(chunked(readFileSync(recording), 100_000), { ...options, worker: true }));
    expect(here.patches).toHaveLength(1248);
    expect(here.lengths.every((n) => n <= 16_000)).toBe(true);
    for (const other of [inWorker, streamed]) {
      expect(other.lengths).toEqual(here.lengths);
      expect(other.samples).toEqual(here.samples);
      expect(other.patches.length).toBe(here.patches.length);
      // Bit-identical (a byte compare: toEqual on 1248 × 6144 floats takes half a minute).
      expect(other.patches.every((patch, i) => bytes(patch).equals(bytes(here.patches[i])))).toBe(true);
    }
  });

  it('the same AudioDecodeError after the same audio for damaged input', async () => {
    const path = truncated();
    const errors = [];
    for (const worker of [false, true]) {
      let patches = 0;
      const error = await caught(async () => {
        const stream = await openPatchStream(path, { sliceSamples: 16_000, withSamples: false, worker });
        for await (const chunk of stream.chunks) for (const slice of chunk.slices) patches += slice.patches.length;
      });
      expect(error).toBeInstanceOf(AudioDecodeError);
      errors.push({ code: (error as AudioDecodeError).code, message: (error as Error).message, decodedSeconds: (error as AudioDecodeError).decodedSeconds, patches });
    }
    expect(errors[0]).toMatchObject({ code: 'TRUNCATED' });
    expect(errors[0].patches).toBeGreaterThan(100);
    expect(errors[1]).toEqual(errors[0]);
  });

  it('rejects at open for problems before any audio, and reuses the worker afterwards', async () => {
    const missing = await caught(() => openPatchStream(join(tmp.dir, 'nope.ogg'), { sliceSamples: 16_000, withSamples: false }));
    expect(missing).toBeInstanceOf(AudioDecodeError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/nope\.ogg does not exist/) });
    const text = join(tmp.dir, 'notes.txt');
    writeFileSync(text, 'not audio at all\n');
    expect(await caught(() => openPatchStream(text, { sliceSamples: 16_000, withSamples: false }))).toMatchObject({ code: 'NOT_AUDIO' });
    const again = await drain(await openPatchStream(recording, { sliceSamples: 16_000, withSamples: false }));
    expect(again.patches).toHaveLength(1248);
  });

  it("rethrows the caller's own byte-stream error object", async () => {
    const boom = Object.assign(new Error('download reset'), { code: 'ECONNRESET' });
    async function* failing() {
      yield readFileSync(recording).subarray(0, 100_000);
      throw boom;
    }
    const error = await caught(async () => drain(await openPatchStream(failing(), { sliceSamples: 16_000, withSamples: false, worker: true })));
    expect(error).toBe(boom);
  });

  it('stops on abort with the abort reason, and after an early close', async () => {
    const controller = new AbortController();
    const stream = await openPatchStream(recording, { sliceSamples: 16_000, withSamples: false, signal: controller.signal });
    const reason = new Error('shutting down');
    let chunks = 0;
    const error = await caught(async () => {
      for await (const _ of stream.chunks) if (++chunks === 2) controller.abort(reason);
    });
    expect(error).toBe(reason);
    const early = await openPatchStream(recording, { sliceSamples: 16_000, withSamples: false });
    for await (const _ of early.chunks) break;
    await early.close();
    expect((await drain(await openPatchStream(recording, { sliceSamples: 16_000, withSamples: false }))).patches).toHaveLength(1248);
  });
});
