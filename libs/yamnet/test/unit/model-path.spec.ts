import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDefaultModelPath } from '../../src';

describe('resolveDefaultModelPath', () => {
  const saved = process.env['GIGGLES_MODEL'];
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env['GIGGLES_MODEL'];
    else process.env['GIGGLES_MODEL'] = saved;
    dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  /** <tmp>/repo (with nx.json and a nested package) and <tmp>/shared/models/yamnet.tflite. */
  function layout(withModel: boolean): string {
    const base = mkdtempSync(join(tmpdir(), 'yamnet-path-'));
    dirs.push(base);
    mkdirSync(join(base, 'repo', 'libs', 'x'), { recursive: true });
    writeFileSync(join(base, 'repo', 'nx.json'), '{}');
    if (withModel) {
      mkdirSync(join(base, 'shared', 'models'), { recursive: true });
      writeFileSync(join(base, 'shared', 'models', 'yamnet.tflite'), '');
    }
    return base;
  }

  it('prefers $GIGGLES_MODEL', () => {
    process.env['GIGGLES_MODEL'] = '/somewhere/custom.tflite';
    expect(resolveDefaultModelPath('/')).toBe('/somewhere/custom.tflite');
  });

  it('finds ../shared/models/yamnet.tflite beside the repository root from any folder inside it', () => {
    delete process.env['GIGGLES_MODEL'];
    const base = layout(true);
    expect(resolveDefaultModelPath(join(base, 'repo', 'libs', 'x'))).toBe(join(base, 'shared', 'models', 'yamnet.tflite'));
  });

  it('returns undefined when there is no model', () => {
    delete process.env['GIGGLES_MODEL'];
    const base = layout(false);
    expect(resolveDefaultModelPath(join(base, 'repo', 'libs', 'x'))).toBeUndefined();
  });
});
