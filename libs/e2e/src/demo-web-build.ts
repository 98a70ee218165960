import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web app's static files for the gateway (GATEWAY_WEB_DIR): built with the project's own
 * build (`vite build` in apps/web, what `nx run web:build` runs) when `apps/web/dist/index.html` is missing. Returns the
 * directory, or undefined when the checkout has no web app (the API still works).
 */
export async function ensureWebBuild(repoRoot: string, log: (line: string) => void): Promise<string | undefined> {
  const app = join(repoRoot, 'apps', 'web');
  const dist = join(app, 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  if (!existsSync(join(app, 'package.json'))) {
    log('apps/web is not in this checkout: the API runs without the web app');
    return undefined;
  }
  log('building the web app (apps/web/dist is missing): vite build');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    // Vite directly (not through nx): no daemon or cache process may outlive the build.
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
      cwd: app,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the web app failed (exit ${code}):\n${output}`))));
  });
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`the web build finished but ${join(dist, 'index.html')} is missing`);
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dist;
}
