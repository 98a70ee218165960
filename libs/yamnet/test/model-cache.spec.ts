import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedFileName, convertAndCache, importTfliteBytes, ModelLoadError, YamnetModel } from '../src';
import { writeTflite } from './support/tflite-writer';
import { tinyModel } from './support/tiny-models';
import { realModelPath } from './support/model';

describe('convertAndCache', () => {
  let dir: string;
  let modelPath: string;
  // Always explicit, so no per-user cache outside the test directory is consulted.
  const isolated = () => ({ cacheDir: join(dir, 'isolated-cache') });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'yamnet-cache-'));
    modelPath = join(dir, 'yamnet.tflite');
    copyFileSync(realModelPath(), modelPath);
    copyFileSync(join(realModelPath(), '..', 'yamnet_class_map.csv'), join(dir, 'yamnet_class_map.csv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts once next to the model, then reuses the file', async () => {
    const first = await convertAndCache(modelPath, isolated());
    expect(first.fromCache).toBe(false);
    expect(first.onnxPath).toBe(join(dir, cachedFileName(modelPath, first.sha256)));
    expect(first.onnxPath).toMatch(/yamnet\.687f226c147a2caa\.c\d+\.onnx$/);
    const written = statSync(first.onnxPath).mtimeMs;

    const second = await convertAndCache(modelPath, isolated());
    expect(second).toEqual({ ...first, fromCache: true });
    expect(statSync(second.onnxPath).mtimeMs).toBe(written);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no temp files left behind
  });

  it('keys the cache by the model bytes: a changed model is converted again', async () => {
    const changed = join(dir, 'changed', 'yamnet.tflite');
    mkdirSync(join(dir, 'changed'));
    copyFileSync(modelPath, changed);
    appendFileSync(changed, Buffer.from([0])); // still a valid flatbuffer, different sha256
    const result = await convertAndCache(changed, isolated());
    expect(result.fromCache).toBe(false);
    expect(result.sha256).not.toBe('687f226c147a2caab4706fbbab5e9cecb14b9a368264bf61108078b1fddf68f5');
    expect(result.onnxPath).toContain(result.sha256.slice(0, 16));
  });

  it('falls back to the cache directory when the model directory is read-only', async () => {
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    copyFileSync(modelPath, join(readOnly, 'yamnet.tflite'));
    chmodSync(readOnly, 0o555);
    const cacheDir = join(dir, 'cache');
    try {
      const result = await convertAndCache(join(readOnly, 'yamnet.tflite'), { cacheDir });
      // Even as root (who could write there), a directory marked read-only is left alone.
      expect(result.onnxPath).toBe(join(cacheDir, cachedFileName(modelPath, result.sha256)));
      expect(readdirSync(readOnly)).toEqual(['yamnet.tflite']);
      expect(statSync(result.onnxPath).size).toBeGreaterThan(1_000_000);
      const again = await convertAndCache(join(readOnly, 'yamnet.tflite'), { cacheDir });
      expect(again.fromCache).toBe(true);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('says so when no directory can take the conversion', async () => {
    const readOnly = join(dir, 'ro-2');
    mkdirSync(readOnly);
    copyFileSync(modelPath, join(readOnly, 'yamnet.tflite'));
    chmodSync(readOnly, 0o555);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    try {
      await expect(convertAndCache(join(readOnly, 'yamnet.tflite'), { cacheDir: join(blocker, 'cache') })).rejects.toMatchObject({
        name: 'ModelLoadError',
        code: 'CACHE',
        message: expect.stringMatching(/cannot write the converted model anywhere.*read-only/),
      });
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('lets YamnetModel load the cached .onnx directly and keeps the source version', async () => {
    const { onnxPath } = await convertAndCache(modelPath, isolated());
    const model = await YamnetModel.load(onnxPath, { batchSize: 1, intraOpThreads: 1, classMapPath: join(dir, 'yamnet_class_map.csv') });
    try {
      expect(model.version).toBe('yamnet-687f226c147a');
      expect(model.onnxPath).toBe(onnxPath);
    } finally {
      await model.dispose();
    }
    await expect(model.run(new Float32Array(6144), 1)).rejects.toThrow(/disposed/);
  });

  it('replaces a damaged cached conversion instead of failing', async () => {
    const { onnxPath } = await convertAndCache(modelPath, isolated());
    writeFileSync(onnxPath, 'not an onnx model');
    const model = await YamnetModel.load(modelPath, { ...isolated(), batchSize: 1, intraOpThreads: 1 });
    try {
      expect(model.onnxPath).toBe(onnxPath);
      expect(statSync(onnxPath).size).toBeGreaterThan(1_000_000);
    } finally {
      await model.dispose();
    }
  });

  it('rejects a converted model that is not shaped like YAMNet', async () => {
    const small = join(dir, 'small');
    mkdirSync(small);
    const onnxPath = join(small, 'three-classes.onnx');
    writeFileSync(onnxPath, importTfliteBytes(writeTflite(tinyModel())).onnx);
    await expect(YamnetModel.load(onnxPath, { classMapPath: join(dir, 'yamnet_class_map.csv') })).rejects.toMatchObject({
      code: 'WRONG_SHAPE',
      message: expect.stringMatching(/scores \[1,3\] and embeddings \[1,2\]/),
    });
  });

  it('reports a missing model as ModelLoadError NOT_FOUND', async () => {
    await expect(YamnetModel.load(join(dir, 'missing.tflite'), isolated())).rejects.toBeInstanceOf(ModelLoadError);
    await expect(convertAndCache(join(dir, 'missing.tflite'), isolated())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
