/**
 * `fetchModel` against a local HTTP server serving ../shared/models/yamnet.tflite and its class
 * map: the right checksum installs a model that loads; a wrong checksum, a truncated body, a
 * dropped connection or an HTTP error is refused with a clear message and leaves nothing behind.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModel, ModelFetchError, YAMNET_CLASS_MAP, YAMNET_TFLITE, YamnetModel } from '../src';
import { realModelPath } from './support/model';

type Mode = 'full' | 'truncated-announced' | 'truncated-unannounced' | 'missing';

describe('fetchModel', () => {
  let server: Server;
  let base: string;
  let scratch: string;
  const modelBytes = readFileSync(realModelPath());
  const classMapBytes = readFileSync(join(realModelPath(), '..', 'yamnet_class_map.csv'));
  const requests: string[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'yamnet-fetch-'));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const [, mode, name] = (req.url ?? '').split('/') as [string, Mode, string];
      const body = name === 'yamnet_class_map.csv' ? classMapBytes : modelBytes;
      if (mode === 'missing') return void res.writeHead(404).end('not here');
      if (mode === 'truncated-announced') {
        // announces the whole file, sends half, then the connection drops
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.subarray(0, body.length >> 1), () => res.destroy());
        return;
      }
      if (mode === 'truncated-unannounced') {
        res.writeHead(200);
        return void res.end(body.subarray(0, body.length >> 1));
      }
      res.writeHead(200, { 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(scratch, { recursive: true, force: true });
  });

  const freshDir = () => mkdtempSync(join(scratch, 'models-'));
  const sources = (mode: Mode, sha256 = YAMNET_TFLITE.sha256) => ({
    model: { url: `${base}/${mode}/yamnet.tflite`, sha256 },
    classMap: { url: `${base}/full/yamnet_class_map.csv`, sha256: YAMNET_CLASS_MAP.sha256 },
  });

  it('the pinned hash is the one of ../shared/models/yamnet.tflite (the file the project is evaluated with)', async () => {
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(modelBytes).digest('hex')).toBe(YAMNET_TFLITE.sha256);
    expect(createHash('sha256').update(classMapBytes).digest('hex')).toBe(YAMNET_CLASS_MAP.sha256);
    expect(modelBytes.length).toBe(YAMNET_TFLITE.bytes);
  });

  it('right checksum: installs, converts, and the model loads and runs; a second fetch downloads nothing', async () => {
    const dir = freshDir();
    const result = await fetchModel({ dir, ...sources('full'), cacheDir: join(dir, 'cache') });
    expect(result.downloaded).toBe(true);
    expect(result.modelPath).toBe(join(dir, 'yamnet.tflite'));
    expect(existsSync(result.onnxPath)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    const model = await YamnetModel.load(result.modelPath, { batchSize: 1, intraOpThreads: 1, cacheDir: join(dir, 'cache') });
    try {
      const { scores } = await model.run(new Float32Array(96 * 64).fill(-6), 1);
      expect(scores.length).toBe(521);
      expect(model.version).toBe(`yamnet-${YAMNET_TFLITE.sha256.slice(0, 12)}`);
    } finally {
      await model.dispose();
    }
    const before = requests.length;
    const again = await fetchModel({ dir, ...sources('full'), cacheDir: join(dir, 'cache') });
    expect(again.downloaded).toBe(false);
    expect(requests.length).toBe(before);
  });

  it('wrong checksum: refused with both hashes named, nothing kept', async () => {
    const dir = freshDir();
    const wrong = 'ab'.repeat(32);
    const error = await fetchModel({ dir, ...sources('full', wrong) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFetchError);
    expect((error as ModelFetchError).code).toBe('CHECKSUM');
    expect((error as Error).message).toContain(`has sha256 ${YAMNET_TFLITE.sha256}, expected ${wrong} (${modelBytes.length} bytes)`);
    expect((error as Error).message).toContain('nothing kept');
    expect(readdirSync(dir).filter((f) => f !== 'yamnet_class_map.csv')).toEqual([]);
  });

  it('truncated download (connection dropped before the announced length): refused, nothing kept', async () => {
    const dir = freshDir();
    const error = await fetchModel({ dir, ...sources('truncated-announced') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFetchError);
    expect(['NETWORK', 'TRUNCATED']).toContain((error as ModelFetchError).code);
    expect((error as Error).message).toMatch(/broke off after \d+ bytes|truncated/);
    expect(readdirSync(dir).filter((f) => f !== 'yamnet_class_map.csv')).toEqual([]);
  });

  it('truncated download with no length announced: the checksum refuses it, saying so', async () => {
    const dir = freshDir();
    const error = await fetchModel({ dir, ...sources('truncated-unannounced') }).catch((e: unknown) => e);
    expect((error as ModelFetchError).code).toBe('CHECKSUM');
    expect((error as Error).message).toMatch(/truncated or a different file/);
    expect(readdirSync(dir).filter((f) => f !== 'yamnet_class_map.csv')).toEqual([]);
  });

  it('a broken download never replaces a model that was there', async () => {
    const dir = freshDir();
    await fetchModel({ dir, ...sources('full'), cacheDir: join(dir, 'cache') });
    const error = await fetchModel({ dir, ...sources('truncated-announced', 'cd'.repeat(32)) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFetchError);
    expect(readFileSync(join(dir, 'yamnet.tflite')).equals(modelBytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('HTTP errors and unpinned URLs are refused with the reason', async () => {
    const dir = freshDir();
    await expect(fetchModel({ dir, ...sources('missing') })).rejects.toThrow(/HTTP 404/);
    await expect(fetchModel({ dir, model: { url: `${base}/full/yamnet.tflite` } })).rejects.toThrow(/needs its sha256/);
    await expect(fetchModel({ dir, model: { url: `${base}/full/yamnet.tflite`, sha256: 'nope' } })).rejects.toThrow(/64 hex digits/);
    expect(existsSync(join(dir, 'yamnet.tflite'))).toBe(false);
  });
});
