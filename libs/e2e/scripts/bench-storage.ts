/**
 * `npm run bench:storage [-- --mib 15]`
 *
 * Memory of reading one archived window (Ogg Opus, ~15 MiB for two hours) through the Supabase
 * Storage archive store (AUDIO_ARCHIVE=supabase), against the Storage simulator of
 * @giggles/testing. Two reads, each in a fresh process so its peak is its own:
 *  - whole: `store.get(path)` streamed to a sink (what a restore into the NATS bucket does);
 *  - chunks: the file read as ARCHIVE_CHUNK_MAX byte ranges one after another (what the gateway's
 *    day zip asks persistence for, chunk by chunk).
 * For each: the peak extra RSS, heap and ArrayBuffer memory over the process's idle baseline
 * (sampled every 2 ms and after every chunk) and the time taken. The simulator runs in this (the
 * parent) process, so its own memory is not counted. Prints a table, then JSON on the last line.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ARCHIVE_CHUNK_MAX } from '@giggles/contracts';
import { createServiceClient } from '../../../services/persistence/src/database/supabase-client';
import { mintJwt, startRouter, startStorageSimulator } from '@giggles/testing';
import { SupabaseAudioArchiveStore } from '../../../services/persistence/src/archive/supabase-audio-archive-store';
import { StorageObjectReader } from '../../../services/persistence/src/clips/storage-object-reader';

const BUCKET = 'audio-archive';
const PATH = 'bench-user/2026-01-01/window.ogg';

interface ReaderJob {
  url: string;
  key: string;
  mode: 'whole' | 'chunks';
  bytes: number;
}

interface ReaderResult {
  mode: string;
  bytesRead: number;
  ms: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  peakArrayBuffersMiB: number;
}

const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function reader(job: ReaderJob): Promise<ReaderResult> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const store = new SupabaseAudioArchiveStore(
    createServiceClient({ url: job.url, serviceRoleKey: job.key }),
    BUCKET,
    new StorageObjectReader({ url: job.url, serviceRoleKey: job.key }),
  );
  // Warm up (module code, the HTTP client, TLS-free sockets) on a tiny range so the baseline
  // includes what any read pays once.
  for await (const chunk of await store.get(PATH, { start: 0, end: 0 })) void chunk;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const base = process.memoryUsage();
  const peak = { rss: 0, heap: 0, buffers: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss - base.rss);
    peak.heap = Math.max(peak.heap, now.heapUsed - base.heapUsed);
    peak.buffers = Math.max(peak.buffers, now.arrayBuffers - base.arrayBuffers);
  };
  const timer = setInterval(sample, 2);
  const started = performance.now();
  let bytesRead = 0;
  if (job.mode === 'whole') {
    for await (const chunk of await store.get(PATH)) {
      bytesRead += (chunk as Buffer).length;
      sample();
    }
  } else {
    for (let offset = 0; offset < job.bytes; offset += ARCHIVE_CHUNK_MAX) {
      const end = Math.min(job.bytes, offset + ARCHIVE_CHUNK_MAX) - 1;
      const parts: Buffer[] = [];
      for await (const chunk of await store.get(PATH, { start: offset, end })) parts.push(chunk as Buffer);
      bytesRead += Buffer.concat(parts).length;
      sample();
    }
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  sample();
  return { mode: job.mode, bytesRead, ms: Math.round(ms), peakRssMiB: mib(peak.rss), peakHeapMiB: mib(peak.heap), peakArrayBuffersMiB: mib(peak.buffers) };
}

function runReader(job: ReaderJob): Promise<ReaderResult> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1], ['--reader'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as ReaderResult));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`reader exited with ${code}`))));
    child.send(job);
  });
}

async function main(): Promise<void> {
  const mibArg = process.argv.indexOf('--mib');
  const bytes = Math.round((mibArg > 0 ? Number(process.argv[mibArg + 1]) : 15) * 1024 * 1024);
  const storage = await startStorageSimulator({ buckets: [BUCKET] });
  const router = await startRouter({ routes: { '/storage/v1': storage.url } });
  try {
    storage.store.put(BUCKET, PATH, randomBytes(bytes), 'audio/ogg', 'max-age=3600', true);
    const key = await mintJwt({ role: 'service_role' });
    const results: ReaderResult[] = [];
    for (const mode of ['whole', 'chunks'] as const) {
      const result = await runReader({ url: router.url, key, mode, bytes });
      if (result.bytesRead !== bytes) throw new Error(`${mode}: read ${result.bytesRead} bytes of ${bytes}`);
      results.push(result);
    }
    console.log(`archived window of ${mib(bytes)} MiB through SupabaseAudioArchiveStore (peaks over the idle baseline)`);
    console.log('read     time ms  peak RSS MiB  peak heap MiB  peak ArrayBuffers MiB');
    for (const r of results) {
      console.log(`${r.mode.padEnd(8)} ${String(r.ms).padStart(7)}  ${String(r.peakRssMiB).padStart(12)}  ${String(r.peakHeapMiB).padStart(13)}  ${String(r.peakArrayBuffersMiB).padStart(21)}`);
    }
    console.log(JSON.stringify({ bytes, results }));
  } finally {
    await router.stop();
    await storage.stop();
  }
}

if (process.argv.includes('--reader')) {
  process.once('message', (job) => {
    reader(job as ReaderJob).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
