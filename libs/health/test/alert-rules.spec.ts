/**
 * The Prometheus set-up in deploy/observability: `promtool check config` / `check rules` accept
 * it, `promtool test rules` passes the alert unit tests (alerts.test.yml), every alert has a unit
 * test and a runbook section in docs/operations.md, and every metric the rules use is one the
 * services export. promtool comes from Debian's `prometheus` package (deploy/dev/ensure-system-deps.sh).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@giggles/testing';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = repoRoot(__dirname);
const dir = join(root, 'deploy', 'observability');

async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('promtool is missing: install Debian\'s "prometheus" package (npm test runs deploy/dev/ensure-system-deps.sh)');
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const alertNames = [...readFileSync(join(dir, 'alerts.yml'), 'utf8').matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]);

describe('deploy/observability', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'giggles-alerts-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('promtool check rules and check config accept the files', async () => {
    const rules = await promtool('check', 'rules', 'alerts.yml');
    expect(rules.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(rules.code).toBe(0);
    const config = await promtool('check', 'config', 'prometheus.yml');
    expect(config.code, config.output).toBe(0);
  });

  it('the alert unit tests pass (promtool test rules)', async () => {
    const result = await promtool('test', 'rules', 'alerts.test.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it('a broken rule is refused (the check is not a formality)', async () => {
    const bad = join(scratch, 'bad.yml');
    writeFileSync(bad, 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: rate(giggles_limitless_requests_total[5m] > 1\n');
    const result = await promtool('check', 'rules', bad);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/parse error|unclosed/i);
  });

  it('every alert has a unit test and a runbook section in docs/operations.md', () => {
    expect(alertNames.length).toBeGreaterThanOrEqual(8);
    const tests = readFileSync(join(dir, 'alerts.test.yml'), 'utf8');
    const docs = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
    const anchors = new Set([...docs.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const name of alertNames) {
      expect(tests, `a test of ${name}`).toContain(`alertname: ${name}`);
    }
    for (const [, anchor] of readFileSync(join(dir, 'alerts.yml'), 'utf8').matchAll(/docs\/operations\.md#([a-z0-9-]+)/g)) {
      expect(anchors.has(anchor), `docs/operations.md has a section #${anchor}`).toBe(true);
    }
  });

  it('every metric the rules use is one a service exports', () => {
    const exported = new Set<string>();
    for (const file of [
      'services/ingestion/src/services/ingestion-metrics.ts',
      'services/scheduler/src/services/scheduler-metrics.ts',
      'services/inference/src/adapters/prometheus-metrics.adapter.ts',
      'services/persistence/src/services/persistence-metrics.ts',
      'libs/health/src/metrics.service.ts',
    ]) {
      for (const [, name] of readFileSync(join(root, file), 'utf8').matchAll(/name: '(giggles_\w+)'/g)) exported.add(name);
    }
    // prom-client's default metrics and Prometheus' own `up`
    for (const name of ['process_resident_memory_bytes', 'process_start_time_seconds', 'up']) exported.add(name);
    const rules = readFileSync(join(dir, 'alerts.yml'), 'utf8');
    const used = new Set([...rules.matchAll(/^\s+expr:[^\n]*(?:\n\s{12}[^\n]*)*/gm)].flatMap((m) => [...m[0].matchAll(/\b((?:giggles|process)_\w+|up)\b(?=[{[\s)/]|$)/g)].map((x) => x[1])));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(exported.has(name), `${name} is exported by a service`).toBe(true);
  });
});
