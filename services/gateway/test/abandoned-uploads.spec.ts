import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@giggles/config';
import { createGatewayLogger } from '../src/logging/logger';
import { AbandonedUploadsCleanup } from '../src/uploads/abandoned-uploads.cleanup';
import { UploadStore } from '../src/uploads/upload-store.adapter';
import { UPLOADS_CONFIG, type UploadsConfig } from '../src/uploads/uploads-config';

/**
 * The sweep of unfinished uploads nobody came back to, on a real upload directory: an upload idle
 * past UPLOAD_ABANDONED_AFTER_HOURS goes (with half-written leftovers), one still receiving bytes
 * stays, and one summary line is logged.
 */
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'giggles-abandoned-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function age(path: string, hours: number): void {
  const when = new Date(Date.now() - hours * HOUR);
  utimesSync(path, when, when);
}

describe('abandoned uploads cleanup', () => {
  it('deletes uploads idle past UPLOAD_ABANDONED_AFTER_HOURS and keeps the ones still going, with one summary line', async () => {
    const config = { ...loadConfig(UPLOADS_CONFIG, { UPLOAD_DIR: dir }), uploadAbandonedAfterHours: 48 } as UploadsConfig;
    expect(loadConfig(UPLOADS_CONFIG, {}).uploadAbandonedAfterHours).toBe(48);
    const store = new UploadStore(config);
    const lines: Record<string, unknown>[] = [];
    const logger = createGatewayLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }) as never);
    const cleanup = new AbandonedUploadsCleanup(store, config, logger);

    const ada = randomUUID();
    const idle = await store.create(ada, 'idle.ogg', 1000);
    await store.append(ada, idle.uploadId, Readable.from([Buffer.alloc(300)]), 1000);
    const going = await store.create(ada, 'going.ogg', 1000);
    await store.append(ada, going.uploadId, Readable.from([Buffer.alloc(100)]), 1000);
    // Created three days ago, but a byte arrived an hour ago: still going.
    age(join(dir, ada, `${going.uploadId}.json`), 72);
    age(join(dir, ada, `${going.uploadId}.part`), 1);
    for (const kind of ['json', 'part']) age(join(dir, ada, `${idle.uploadId}.${kind}`), 49);
    const orphan = randomUUID();
    writeFileSync(join(dir, ada, `${orphan}.part`), 'x');
    age(join(dir, ada, `${orphan}.part`), 100);
    writeFileSync(join(dir, 'not-a-user'), 'left alone');

    expect(await cleanup.sweep(Date.now())).toEqual({ uploads: 2, bytes: 301 });
    expect(await store.find(ada, idle.uploadId)).toBeUndefined();
    expect((await store.find(ada, going.uploadId))?.offset).toBe(100);
    expect(existsSync(join(dir, ada, `${orphan}.part`))).toBe(false);
    expect(existsSync(join(dir, 'not-a-user'))).toBe(true);
    const summary = lines.filter((l) => String(l.msg).includes('abandoned upload'));
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ uploads: 2, bytes: 301, idleHours: 48, msg: 'deleted 2 abandoned upload(s) idle for over 48 h' });

    // Nothing more to do: no line.
    expect(await cleanup.sweep(Date.now())).toEqual({ uploads: 0, bytes: 0 });
    expect(lines.filter((l) => String(l.msg).includes('abandoned upload'))).toHaveLength(1);
  });

  it.each([['0'], ['721'], ['two days']])('refuses UPLOAD_ABANDONED_AFTER_HOURS=%s at boot', (value) => {
    expect(() => loadConfig(UPLOADS_CONFIG, { UPLOAD_ABANDONED_AFTER_HOURS: value })).toThrow(/UPLOAD_ABANDONED_AFTER_HOURS/);
  });
});
