import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const localRequire = createRequire(__filename);

describe('bounded memory', () => {
  it('RSS and heap stay flat while 5 minutes of 48 kHz audio stream through resampler + front end', () => {
    const tsx = pathToFileURL(localRequire.resolve('tsx')).href;
    const script = join(__dirname, '..', 'scripts', 'memory-flat.ts');
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', tsx, script, '--seconds', '300', '--every', '30', '--json'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) as string) as {
      patches: number;
      gcExposed: boolean;
      checkpoints: { audioSeconds: number; rssMb: number; heapUsedMb: number }[];
    };
    expect(result.gcExposed).toBe(true);
    expect(result.patches).toBe(623); // 1 + ⌊(4_800_000 − 15_600) / 7680⌋
    expect(result.checkpoints).toHaveLength(10);
    // Between 30 s and 300 s of audio (10× more), nothing accumulates: the heap is flat and RSS
    // (which moves a few MB as the GC returns pages) shows no upward trend.
    const [first, ...rest] = result.checkpoints;
    const early = result.checkpoints.slice(0, 5);
    const late = result.checkpoints.slice(5);
    for (const point of rest) expect(Math.abs(point.heapUsedMb - first.heapUsedMb)).toBeLessThan(1);
    expect(Math.max(...late.map((p) => p.rssMb)) - Math.max(...early.map((p) => p.rssMb))).toBeLessThan(8);
  }, 120_000);
});
