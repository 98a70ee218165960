import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ModelLoadError } from '../errors';
import { readTfliteModel } from '../tflite/schema-reader';
import { convertNetwork } from './convert-network';

/** Bumped whenever the converter's output changes, so cached .onnx files are rebuilt. */
export const CONVERTER_VERSION = '1';

export interface ImportResult {
  onnx: Uint8Array;
  sha256: string;
  weightType: 'int8' | 'float32' | 'mixed';
  ops: Record<string, number>;
}

/** Reads a TFLite YAMNet and converts its network to ONNX (in memory). */
export async function importTflite(tflitePath: string): Promise<ImportResult> {
  return importTfliteBytes(await readModelFile(tflitePath), tflitePath);
}

export function importTfliteBytes(bytes: Uint8Array, path?: string): ImportResult {
  const sha256 = sha256Hex(bytes);
  const model = readTfliteModel(bytes, path);
  try {
    const converted = convertNetwork(model, { sourceSha256: sha256, producerVersion: CONVERTER_VERSION });
    return { onnx: converted.onnx, sha256, weightType: converted.weightType, ops: converted.ops };
  } catch (error) {
    if (error instanceof ModelLoadError && path && !error.path) throw new ModelLoadError(error.code, error.message, path, { cause: error });
    throw error;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readModelFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelLoadError('NOT_FOUND', 'model file not found', path, { cause: error });
    if (code === 'EISDIR') throw new ModelLoadError('NOT_FOUND', 'model path is a directory, not a file', path, { cause: error });
    throw new ModelLoadError('NOT_FOUND', `cannot read model file: ${(error as Error).message}`, path, { cause: error });
  }
}
