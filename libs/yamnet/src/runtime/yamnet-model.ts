import { unlink } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { checkClassMap, type ClassMap, EMBEDDING_SIZE, loadClassMap, NUM_CLASSES } from '../class-map';
import { ONNX_EMBEDDINGS, ONNX_INPUT, ONNX_SCORES } from '../convert/convert-network';
import { readModelFile, sha256Hex } from '../convert/import-tflite';
import { PATCH_BANDS, PATCH_FRAMES } from '../convert/network';
import { ModelLoadError } from '../errors';
import { convertAndCache } from '../model-cache';
import { decodeModel } from '../onnx/onnx-proto';
import { resolveYamnetSettings, type YamnetSettings } from '../settings';

/** Floats in one log-mel patch (96 frames × 64 bands, frame-major). */
export const PATCH_SIZE = PATCH_FRAMES * PATCH_BANDS;

export interface YamnetOutput {
  /** count × 521 class scores (sigmoid), patch-major. */
  scores: Float32Array;
  /** count × 1024 pooled features, patch-major. */
  embeddings: Float32Array;
}

/**
 * YAMNet on onnxruntime: log-mel patches in, class scores and embeddings out, in batches of at
 * most `batchSize`. Runs are serialised, so concurrent callers cannot multiply memory or threads.
 */
export class YamnetModel {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly version: string,
    readonly classMap: ClassMap,
    readonly settings: YamnetSettings,
    /** The .onnx file the session was created from. */
    readonly onnxPath: string,
  ) {}

  /** Loads a .tflite (converted once and cached) or an already converted .onnx. */
  static async load(modelPath: string, settings: Partial<YamnetSettings> = {}): Promise<YamnetModel> {
    const resolved = resolveYamnetSettings(settings);
    const classMapPath = resolved.classMapPath ?? join(dirname(modelPath), 'yamnet_class_map.csv');
    let onnxPath: string;
    let sha256: string;
    let fromCache = false;
    if (extname(modelPath).toLowerCase() === '.onnx') {
      onnxPath = modelPath;
      sha256 = await sourceShaOfOnnx(modelPath);
    } else {
      ({ onnxPath, sha256, fromCache } = await convertAndCache(modelPath, { cacheDir: resolved.cacheDir }));
    }
    const classMap = loadClassMap(classMapPath);
    checkClassMap(classMap, NUM_CLASSES, classMapPath);

    let session: ort.InferenceSession;
    try {
      session = await createSession(onnxPath, resolved);
    } catch (error) {
      if (!fromCache) throw runtimeError(error, onnxPath);
      // A cached conversion that onnxruntime rejects (damaged on disk, or written by a converter
      // with a bug since fixed) is replaced once rather than blocking every start.
      await unlink(onnxPath).catch(() => undefined);
      ({ onnxPath, sha256 } = await convertAndCache(modelPath, { cacheDir: resolved.cacheDir }));
      session = await createSession(onnxPath, resolved).catch((retryError: unknown) => {
        throw runtimeError(retryError, onnxPath);
      });
    }
    await checkSessionShapes(session, onnxPath);
    return new YamnetModel(session, `yamnet-${sha256.slice(0, 12)}`, classMap, resolved, onnxPath);
  }

  /**
   * Scores and embeddings for `count` patches stored back to back in `patches` (extra floats
   * after them are ignored). The patches are read in place, so leave them unchanged until the
   * promise settles.
   */
  run(patches: Float32Array, count: number): Promise<YamnetOutput> {
    if (this.disposed) return Promise.reject(new Error('YamnetModel has been disposed'));
    if (!Number.isInteger(count) || count < 0) return Promise.reject(new RangeError(`count must be a non-negative integer, got ${count}`));
    if (patches.length < count * PATCH_SIZE) {
      return Promise.reject(new RangeError(`${count} patches need ${count * PATCH_SIZE} floats, got ${patches.length}`));
    }
    const next = this.queue.then(() => this.runBatches(patches, count));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runBatches(patches: Float32Array, count: number): Promise<YamnetOutput> {
    const scores = new Float32Array(count * NUM_CLASSES);
    const embeddings = new Float32Array(count * EMBEDDING_SIZE);
    for (let start = 0; start < count; start += this.settings.batchSize) {
      const n = Math.min(this.settings.batchSize, count - start);
      // Tensors are views on the caller's input and on our result arrays: onnxruntime reads the
      // patches in place and writes its outputs straight into the results, with no copies.
      const feeds = { [ONNX_INPUT]: new ort.Tensor('float32', patches.subarray(start * PATCH_SIZE, (start + n) * PATCH_SIZE), [n, PATCH_FRAMES, PATCH_BANDS]) };
      const fetches = {
        [ONNX_SCORES]: new ort.Tensor('float32', scores.subarray(start * NUM_CLASSES, (start + n) * NUM_CLASSES), [n, NUM_CLASSES]),
        [ONNX_EMBEDDINGS]: new ort.Tensor('float32', embeddings.subarray(start * EMBEDDING_SIZE, (start + n) * EMBEDDING_SIZE), [n, EMBEDDING_SIZE]),
      };
      await this.session.run(feeds, fetches);
    }
    return { scores, embeddings };
  }

  /** Refuses new runs, lets the ones already submitted finish, then frees the session. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }
}

/**
 * One warm-up patch through the session: proves the graph runs, and that it has our input and
 * outputs with YAMNet's sizes (521 classes, 1024-d embeddings) — a converted model of another
 * network would otherwise only fail later, mid-recording.
 */
async function checkSessionShapes(session: ort.InferenceSession, onnxPath: string): Promise<void> {
  const fail = async (detail: string): Promise<never> => {
    await session.release();
    throw new ModelLoadError('WRONG_SHAPE', detail, onnxPath);
  };
  if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_SCORES) || !session.outputNames.includes(ONNX_EMBEDDINGS)) {
    await fail(`the ONNX model must take "${ONNX_INPUT}" and give "${ONNX_SCORES}" and "${ONNX_EMBEDDINGS}"`);
  }
  const silence = new Float32Array(PATCH_SIZE).fill(Math.log(0.001));
  let out: ort.InferenceSession.OnnxValueMapType;
  try {
    out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', silence, [1, PATCH_FRAMES, PATCH_BANDS]) });
  } catch (error) {
    await session.release();
    throw runtimeError(error, onnxPath);
  }
  const scores = out[ONNX_SCORES]!.dims.join(',');
  const embeddings = out[ONNX_EMBEDDINGS]!.dims.join(',');
  if (scores !== `1,${NUM_CLASSES}` || embeddings !== `1,${EMBEDDING_SIZE}`) {
    await fail(`the model gives scores [${scores}] and embeddings [${embeddings}] per patch; YAMNet gives [1,${NUM_CLASSES}] and [1,${EMBEDDING_SIZE}]`);
  }
}

function createSession(onnxPath: string, settings: YamnetSettings): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(onnxPath, {
    intraOpNumThreads: settings.intraOpThreads,
    // One network, one op at a time: parallelism comes from intra-op threads only, which keeps the
    // thread count at what the settings say.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Memory patterns are planned and kept per input shape, and coarse-to-fine inference gives
    // batches of many sizes (refinements, ends of recordings): without them peak RSS end to end was
    // ~25 MB lower for ~3% more CPU, and results are the same.
    enableMemPattern: false,
    extra: { session: { intra_op: { allow_spinning: settings.allowSpinning ? '1' : '0' } } },
  });
}

function runtimeError(error: unknown, onnxPath: string): ModelLoadError {
  return new ModelLoadError('RUNTIME', `onnxruntime cannot load the model: ${(error as Error).message}`, onnxPath, { cause: error });
}

/** The source model's sha256 recorded by our converter, else the .onnx file's own. */
async function sourceShaOfOnnx(onnxPath: string): Promise<string> {
  const bytes = await readModelFile(onnxPath);
  try {
    const recorded = decodeModel(bytes).metadata_props?.find((p) => p.key === 'source_sha256')?.value;
    if (recorded && /^[0-9a-f]{64}$/.test(recorded)) return recorded;
  } catch {
    // Not decodable with our subset: onnxruntime will give the real error when loading it.
  }
  return sha256Hex(bytes);
}

