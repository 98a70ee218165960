import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeClipPathError } from '../clips/clip-path';
import { toBuffer } from '../clips/clip-store';
import { archiveFolder, archivePath, parseArchivePath } from './archive-path';
import { ArchiveFileNotFoundError } from './audio-archive-store';
import { FsAudioArchiveStore } from './fs-audio-archive-store';

const USER = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const WINDOW = { userId: USER, localDate: '2024-03-01', windowStartMs: 1709247600000, windowEndMs: 1709254800000 };

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('archive paths', () => {
  it('names a window <userId>/<localDate>/<start>-<end>.ogg and reads it back', () => {
    const path = archivePath({ ...WINDOW, userId: USER.toUpperCase() });
    expect(path).toBe(`${USER}/2024-03-01/1709247600000-1709254800000.ogg`);
    expect(parseArchivePath(path)).toEqual(WINDOW);
    expect(archiveFolder(USER)).toBe(`${USER}/`);
    expect(archiveFolder(USER, '2024-03-01')).toBe(`${USER}/2024-03-01/`);
  });

  it.each([
    ['a user id that is a path', { ...WINDOW, userId: '../../etc' }],
    ['a date with slashes', { ...WINDOW, localDate: '2024/03/01' }],
    ['a date that climbs', { ...WINDOW, localDate: '..' }],
    ['a fractional start', { ...WINDOW, windowStartMs: 1.5 }],
    ['a window that ends before it starts', { ...WINDOW, windowEndMs: WINDOW.windowStartMs }],
    ['a negative start', { ...WINDOW, windowStartMs: -5 }],
  ])('refuses %s', (_, ref) => {
    expect(() => archivePath(ref as typeof WINDOW)).toThrow(UnsafeClipPathError);
  });

  it('does not take foreign files for archive paths', () => {
    for (const path of ['x.ogg', `${USER}/2024-03-01/a-b.ogg`, `${USER}/2024-03-01/5-1.ogg`, `${USER}/../2024-03-01/1-2.ogg`, `${USER}/2024-03-01/1-2.wav`]) {
      expect(parseArchivePath(path)).toBeNull();
    }
    expect(() => archiveFolder('nope')).toThrow(UnsafeClipPathError);
    expect(() => archiveFolder(USER, '../x')).toThrow(UnsafeClipPathError);
  });
});

describe('FsAudioArchiveStore', () => {
  let base: string;
  let store: FsAudioArchiveStore;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'giggles-archive-'));
    store = await FsAudioArchiveStore.open(join(base, 'archive'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('streams a window in, reporting its size and sha256, and streams it back out', async () => {
    const path = archivePath(WINDOW);
    const written = await store.put(path, chunks('OggS', '-opus-', 'pages'));
    expect(written).toEqual({ bytes: 15, sha256: createHash('sha256').update('OggS-opus-pages').digest('hex') });
    expect(await readFile(join(base, 'archive', USER, '2024-03-01', '1709247600000-1709254800000.ogg'), 'utf8')).toBe('OggS-opus-pages');
    expect((await toBuffer(await store.get(path))).toString()).toBe('OggS-opus-pages');
    expect(await store.list(archiveFolder(USER))).toEqual([path]);
    expect(await store.delete(path)).toBe(true);
    await expect(store.get(path)).rejects.toBeInstanceOf(ArchiveFileNotFoundError);
    expect(await store.delete(path)).toBe(false);
  });

  it('leaves no file behind when the source fails part way', async () => {
    async function* broken(): AsyncIterable<Uint8Array> {
      yield Buffer.from('OggS');
      throw new Error('object lost a chunk');
    }
    await expect(store.put(archivePath(WINDOW), broken())).rejects.toThrow('object lost a chunk');
    expect(await store.list('')).toEqual([]);
  });

  it.each([
    ['parent segments', '../outside.ogg'],
    ['nested parent segments', `${USER}/../../outside.ogg`],
    ['an absolute path', '/etc/passwd'],
    ['a NUL byte', `${USER}/a\0.ogg`],
    ['a backslash', `${USER}\\..\\a.ogg`],
  ])('refuses %s', async (_, path) => {
    await expect(store.put(path, chunks('x'))).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.get(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.delete(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
  });

  it('does not follow a link planted in the archive to a folder outside', async () => {
    const outside = join(base, 'outside');
    await mkdir(join(outside, '2024-03-01'), { recursive: true });
    await writeFile(join(outside, '2024-03-01', '1709247600000-1709254800000.ogg'), 'secret');
    await symlink(outside, join(base, 'archive', USER));
    await expect(store.get(archivePath(WINDOW))).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.delete(archivePath(WINDOW))).rejects.toBeInstanceOf(UnsafeClipPathError);
    expect(await readFile(join(outside, '2024-03-01', '1709247600000-1709254800000.ogg'), 'utf8')).toBe('secret');
  });
});
