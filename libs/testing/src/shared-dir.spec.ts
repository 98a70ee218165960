import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, sharedDir } from './shared-dir';

describe('sharedDir', () => {
  const saved = process.env.GIGGLES_SHARED_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.GIGGLES_SHARED_DIR;
    else process.env.GIGGLES_SHARED_DIR = saved;
  });

  it('is ../shared beside the repository root by default', () => {
    delete process.env.GIGGLES_SHARED_DIR;
    expect(existsSync(join(repoRoot(), 'nx.json'))).toBe(true);
    expect(sharedDir()).toBe(join(repoRoot(), '..', 'shared'));
    expect(existsSync(join(sharedDir(), 'eval', 'long_d1.ogg'))).toBe(true);
  });

  it('honours GIGGLES_SHARED_DIR', () => {
    process.env.GIGGLES_SHARED_DIR = '/tmp/somewhere/shared';
    expect(sharedDir()).toBe('/tmp/somewhere/shared');
  });
});
