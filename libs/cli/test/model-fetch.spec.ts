/** `giggles model fetch` end to end (the real command line) against a local HTTP server. */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '@giggles/testing';
import { YAMNET_TFLITE } from '@giggles/yamnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = repoRoot(__dirname);

function giggles(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'libs', 'cli', 'bin', 'giggles.js'), ...args], { env: { ...process.env, ...env }, cwd: root }, (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

describe('giggles model fetch', () => {
  let server: Server;
  let base: string;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'giggles-model-fetch-'));
    const files: Record<string, Buffer> = {
      '/yamnet.tflite': readFileSync(join(sharedDir(), 'models', 'yamnet.tflite')),
      '/yamnet_class_map.csv': readFileSync(join(sharedDir(), 'models', 'yamnet_class_map.csv')),
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

  it('fetches, verifies and converts; exit 0', async () => {
    const out = join(scratch, 'ok');
    const run = await giggles(['model', 'fetch', '--out', out, '--url', `${base}/yamnet.tflite`, '--sha256', YAMNET_TFLITE.sha256, '--class-map-url', `${base}/yamnet_class_map.csv`]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`fetched and verified: ${join(out, 'yamnet.tflite')}`);
    expect(readdirSync(out).some((f) => f.endsWith('.onnx'))).toBe(true);
  }, 120_000);

  it('a wrong checksum: one clear line on stderr, exit 1, no model file', async () => {
    const out = join(scratch, 'bad');
    const run = await giggles(['model', 'fetch', '--out', out, '--class-map-url', `${base}/yamnet_class_map.csv`], {
      GIGGLES_MODEL_URL: `${base}/yamnet.tflite`,
      GIGGLES_MODEL_SHA256: '0'.repeat(64),
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^giggles: model fetch: .*has sha256 687f226c.*expected 0{64}.*refused, nothing kept\n$/);
    expect(existsSync(join(out, 'yamnet.tflite'))).toBe(false);
  }, 120_000);
});
