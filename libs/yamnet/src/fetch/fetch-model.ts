import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { convertAndCache } from '../model-cache';
import { checkClassMap, loadClassMap, NUM_CLASSES } from '../class-map';
import { downloadVerified, type DownloadOptions } from './download-verified';
import { ModelFetchError } from './fetch-errors';
import { YAMNET_CLASS_MAP, YAMNET_TFLITE, type PinnedFile } from './model-sources';

export const MODEL_FILE_NAME = 'yamnet.tflite';
export const CLASS_MAP_FILE_NAME = 'yamnet_class_map.csv';

export interface FetchModelOptions extends DownloadOptions {
  /** Directory the model and class map go into (created when missing). */
  dir: string;
  /** Default: the pinned YAMNet (YAMNET_TFLITE). A different URL must come with its sha256. */
  model?: Partial<PinnedFile>;
  classMap?: Partial<PinnedFile>;
  /** Where the converted ONNX graph is cached when `dir` is read-only afterwards. */
  cacheDir?: string;
}

export interface FetchModelResult {
  modelPath: string;
  onnxPath: string;
  /** False when a verified model was already there and nothing was downloaded. */
  downloaded: boolean;
}

/**
 * `giggles model fetch` and the inference service's first start: puts a verified YAMNet and its
 * class map into `dir` and converts the model to ONNX. Files already there with the pinned hash
 * are kept (nothing downloaded); anything else is downloaded, verified and renamed into place
 * atomically. A model that will not convert is removed again, so `dir` never holds a model that
 * cannot load.
 */
export async function fetchModel(options: FetchModelOptions): Promise<FetchModelResult> {
  const model = pinned(options.model, YAMNET_TFLITE, 'model');
  // one right class map: a mirror URL needs no hash of its own, it must match the pinned one
  const classMap = pinned(options.classMap && { sha256: YAMNET_CLASS_MAP.sha256, ...options.classMap }, YAMNET_CLASS_MAP, 'class map');
  await mkdir(options.dir, { recursive: true });
  const modelPath = join(options.dir, MODEL_FILE_NAME);
  const classMapPath = join(options.dir, CLASS_MAP_FILE_NAME);

  let downloaded = false;
  if (!(await hasHash(classMapPath, classMap.sha256))) {
    await downloadVerified(classMap, classMapPath, options);
    downloaded = true;
  }
  checkClassMap(loadClassMap(classMapPath), NUM_CLASSES, classMapPath);
  if (!(await hasHash(modelPath, model.sha256))) {
    await downloadVerified(model, modelPath, options);
    downloaded = true;
  }
  try {
    const { onnxPath } = await convertAndCache(modelPath, { cacheDir: options.cacheDir });
    return { modelPath, onnxPath, downloaded };
  } catch (error) {
    await rm(modelPath, { force: true });
    throw new ModelFetchError('NOT_A_MODEL', `${model.url} passed its checksum but is not a YAMNet model Giggles can run: ${(error as Error).message}; removed`, {
      cause: error,
    });
  }
}

function pinned(given: Partial<PinnedFile> | undefined, fallback: PinnedFile, what: string): PinnedFile {
  if (!given?.url || given.url === fallback.url) return { ...fallback, ...(given?.sha256 ? { sha256: given.sha256, bytes: undefined } : {}) };
  if (!given.sha256) throw new ModelFetchError('NO_CHECKSUM', `a ${what} URL other than the pinned one needs its sha256 (--sha256 / GIGGLES_MODEL_SHA256): ${given.url}`);
  if (!/^[0-9a-f]{64}$/i.test(given.sha256)) throw new ModelFetchError('NO_CHECKSUM', `the ${what} sha256 must be 64 hex digits, got ${JSON.stringify(given.sha256)}`);
  return { url: given.url, sha256: given.sha256.toLowerCase(), bytes: given.bytes };
}

async function hasHash(path: string, sha256: string): Promise<boolean> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex') === sha256.toLowerCase();
  } catch {
    return false;
  }
}
