import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root: the nearest directory upwards from `from` whose package.json has workspaces. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).workspaces) return dir;
      } catch {
        // not JSON: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no workspace root above ${from}`);
    dir = up;
  }
}

/**
 * The shared data directory beside the repository (eval recordings, models): GIGGLES_SHARED_DIR
 * when set, else `<repo root>/../shared`. Data there is read in place, never copied into the repo.
 */
export function sharedDir(): string {
  if (process.env.GIGGLES_SHARED_DIR) return resolve(process.env.GIGGLES_SHARED_DIR);
  return resolve(repoRoot(), '..', 'shared');
}
