/**
 * First start with an empty model directory: with GIGGLES_MODEL_FETCH the service downloads the
 * pinned YAMNet (here from a local HTTP server serving ../shared/models) into GIGGLES_MODEL's
 * directory, verifies it and loads it; a wrong checksum stops the start with the reason and
 * leaves no model file.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '@giggles/config';
import { YAMNET_TFLITE } from '@giggles/yamnet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YamnetModelAdapter } from '../src/adapters/yamnet-model.adapter';
import { loadInferenceConfig } from '../src/config/inference-config';
import { MODEL_PATH } from './support/fixtures';

describe('the model fetched at first start', () => {
  let server: Server;
  let base: string;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'inference-model-fetch-'));
    const files: Record<string, Buffer> = {
      '/yamnet.tflite': readFileSync(MODEL_PATH),
      '/yamnet_class_map.csv': readFileSync(join(dirname(MODEL_PATH), 'yamnet_class_map.csv')),
    };
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(scratch, { recursive: true, force: true });
  });

  const env = (dir: string, sha256 = YAMNET_TFLITE.sha256) => ({
    GIGGLES_MODEL: join(dir, 'yamnet.tflite'),
    GIGGLES_MODEL_FETCH: 'true',
    GIGGLES_MODEL_URL: `${base}/yamnet.tflite`,
    GIGGLES_MODEL_SHA256: sha256,
    GIGGLES_CLASS_MAP_URL: `${base}/yamnet_class_map.csv`,
    GIGGLES_MODEL_CACHE_DIR: join(dir, 'cache'),
    YAMNET_THREADS: '1',
  });
  const logger = pino({ level: 'silent' });

  it('a missing model is a config error unless GIGGLES_MODEL_FETCH is on; then the file must be yamnet.tflite', () => {
    const dir = join(scratch, 'config');
    expect(() => loadInferenceConfig({ GIGGLES_MODEL: join(dir, 'yamnet.tflite') })).toThrow(ConfigError);
    expect(loadInferenceConfig(env(dir)).modelPath).toBe(join(dir, 'yamnet.tflite'));
    expect(() => loadInferenceConfig({ ...env(dir), GIGGLES_MODEL: join(dir, 'other.tflite') })).toThrow(/must end in \/yamnet\.tflite/);
  });

  it('downloads, verifies and loads the model into an empty model directory', async () => {
    const dir = mkdtempSync(join(scratch, 'models-'));
    const adapter = new YamnetModelAdapter(loadInferenceConfig(env(dir)), logger as never);
    await adapter.onModuleInit();
    try {
      expect(existsSync(join(dir, 'yamnet.tflite'))).toBe(true);
      expect(adapter.model.version).toBe(`yamnet-${YAMNET_TFLITE.sha256.slice(0, 12)}`);
    } finally {
      await adapter.onApplicationShutdown();
    }
  }, 120_000);

  it('a wrong checksum stops the start with the reason; no model file is left', async () => {
    const dir = mkdtempSync(join(scratch, 'models-'));
    const adapter = new YamnetModelAdapter(loadInferenceConfig(env(dir, 'f'.repeat(64))), logger as never);
    await expect(adapter.onModuleInit()).rejects.toThrow(/expected f{64}.*refused, nothing kept/);
    expect(existsSync(join(dir, 'yamnet.tflite'))).toBe(false);
  }, 60_000);
});
