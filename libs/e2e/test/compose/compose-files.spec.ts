/**
 * Checks on the compose files as committed (no Docker needed): the memory limits of everything
 * that runs on the VPS — the services, NATS, the bundled local Supabase stack and the production
 * proxy — add up to at most MEMORY_BUDGET_MB, and every container has a limit, a restart policy,
 * and an image taken from a GIGGLES_*_IMAGE variable whose default is the upstream image (so the
 * files users run are the files `npm run test:compose` runs on local stand-ins).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '@giggles/testing';

/** What the containers may use together on a 4 GB VPS, leaving ~1 GB for the OS and page cache. */
const MEMORY_BUDGET_MB = 3 * 1024;

interface ComposeService {
  image?: string;
  build?: unknown;
  mem_limit?: string | number;
  restart?: string;
  profiles?: string[];
  healthcheck?: { test?: unknown };
  ports?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

function load(file: string): ComposeFile {
  return parse(readFileSync(join(repoRoot(), file), 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose's byte values: a number of bytes or a number with b/k/m/g. */
function megabytes(value: string | number | undefined): number {
  if (typeof value === 'number') return value / 1024 / 1024;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(String(value ?? '').trim());
  if (!m) throw new Error(`not a memory size: ${String(value)}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * { b: 1 / 1024 / 1024, k: 1 / 1024, m: 1, g: 1024 }[unit]!;
}

/** The services of base + prod as compose merges them (a later file's keys win per service). */
function mergedServices(): Record<string, ComposeService> {
  const base = load('docker-compose.yml').services;
  const prod = load('docker-compose.prod.yml').services;
  const merged: Record<string, ComposeService> = {};
  for (const [name, svc] of Object.entries(base)) merged[name] = { ...svc, ...(prod[name] ?? {}) };
  for (const [name, svc] of Object.entries(prod)) merged[name] ??= svc;
  return merged;
}

describe('compose files', () => {
  const services = mergedServices();

  it('parses megabyte values as compose does', () => {
    expect(megabytes('512m')).toBe(512);
    expect(megabytes('1g')).toBe(1024);
    expect(megabytes(268435456)).toBe(256);
    expect(() => megabytes('lots')).toThrow(/not a memory size/);
  });

  it(`keeps the memory limits of everything, local Supabase stack included, within ${MEMORY_BUDGET_MB} MB`, () => {
    const limits = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, megabytes(s.mem_limit)]));
    expect(Object.keys(limits)).toEqual(expect.arrayContaining(['nats', 'persistence', 'ingestion', 'inference', 'scheduler', 'supabase-db', 'supabase-rest', 'supabase-auth', 'supabase-router', 'proxy']));
    const total = Object.values(limits).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(total, JSON.stringify(limits)).toBeLessThanOrEqual(MEMORY_BUDGET_MB);
  });

  it('gives every container a memory limit and restart: unless-stopped', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.mem_limit, `${name}: mem_limit`).toBeDefined();
      expect(s.restart, `${name}: restart`).toBe('unless-stopped');
    }
  });

  it('takes every upstream image from a GIGGLES_*_IMAGE variable whose default is the upstream image', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) continue; // our own images: built from deploy/docker/Dockerfile
      expect(s.image, `${name}: image`).toMatch(/^\$\{GIGGLES_[A-Z_]+_IMAGE:-[a-z0-9./-]+:[\w.-]+\}$/);
    }
    const dockerfile = readFileSync(join(repoRoot(), 'deploy/docker/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
  });

  it('health-checks every Giggles service on /health/ready', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      expect(JSON.stringify(s.healthcheck?.test), `${name}: healthcheck`).toContain('/health/ready');
    }
  });

  it('publishes nothing beyond loopback except the gateway and the proxy', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'gateway' || name === 'proxy') continue;
      for (const port of s.ports ?? []) expect(port, `${name}: ${port}`).toMatch(/^"?127\.0\.0\.1:/);
    }
  });
});
