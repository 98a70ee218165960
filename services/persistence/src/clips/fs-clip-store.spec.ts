import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clipPath, UnsafeClipPathError } from './clip-path';
import { ClipNotFoundError, toBuffer } from './clip-store';
import { FsClipStore } from './fs-clip-store';

const USER = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const PATH = clipPath(USER, '2024-03-01', '1709247610000-13');

describe('FsClipStore', () => {
  let base: string;
  let store: FsClipStore;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'giggles-clips-'));
    store = await FsClipStore.open(join(base, 'clips'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('puts, gets, lists and deletes a clip', async () => {
    await store.put(PATH, Buffer.from('RIFF-one'));
    expect(await store.exists(PATH)).toBe(true);
    expect((await toBuffer(await store.get(PATH))).toString()).toBe('RIFF-one');
    expect(await readFile(join(base, 'clips', USER, '2024-03-01', '1709247610000-13.wav'), 'utf8')).toBe('RIFF-one');

    await store.put(PATH, Readable.from([Buffer.from('RIFF-'), Buffer.from('two')]));
    expect((await toBuffer(await store.get(PATH))).toString()).toBe('RIFF-two');

    const other = clipPath(USER, '2024-03-02', '1709333000000-15');
    await store.put(other, new Uint8Array([1, 2, 3]));
    expect(await store.list(`${USER}/`)).toEqual([PATH, other]);
    expect(await store.list(`${USER}/2024-03-02`)).toEqual([other]);
    expect(await store.list('')).toEqual([PATH, other]);

    expect(await store.delete(PATH)).toBe(true);
    expect(await store.delete(PATH)).toBe(false);
    expect(await store.exists(PATH)).toBe(false);
    await expect(store.get(PATH)).rejects.toBeInstanceOf(ClipNotFoundError);
  });

  it('answers for missing folders without creating them', async () => {
    expect(await store.list(`${USER}/2030-01-01`)).toEqual([]);
    expect(await store.exists(PATH)).toBe(false);
    expect(await store.delete(PATH)).toBe(false);
    expect(await store.list('')).toEqual([]);
  });

  it('leaves no temporary files behind and hides them from listings', async () => {
    await store.put(PATH, Buffer.from('x'));
    await writeFile(join(base, 'clips', USER, '2024-03-01', '.stale.tmp'), 'partial');
    expect(await store.list(USER)).toEqual([PATH]);
  });

  it.each([
    ['parent segments', '../outside.wav'],
    ['nested parent segments', `${USER}/../../outside.wav`],
    ['a current-directory segment', `${USER}/./a.wav`],
    ['an absolute path', '/etc/passwd'],
    ['a NUL byte', `${USER}/a\0.wav`],
    ['a backslash', `${USER}\\..\\a.wav`],
    ['an empty segment', `${USER}//a.wav`],
    ['an empty path', ''],
    ['a hidden name', `${USER}/.a.wav`],
  ])('rejects %s', async (_, path) => {
    await expect(store.put(path, Buffer.from('x'))).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.get(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.exists(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.delete(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
  });

  it('rejects listing prefixes that escape', async () => {
    await expect(store.list('..')).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.list('/')).rejects.toBeInstanceOf(UnsafeClipPathError);
  });

  it('refuses to write, read or delete through a symlinked directory that leads outside', async () => {
    const outside = join(base, 'outside');
    await mkdir(join(outside, '2024-03-01'), { recursive: true });
    await writeFile(join(outside, '2024-03-01', '1709247610000-13.wav'), 'secret');
    await symlink(outside, join(base, 'clips', USER));

    await expect(store.put(PATH, Buffer.from('x'))).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.get(PATH)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.delete(PATH)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.list(USER)).rejects.toBeInstanceOf(UnsafeClipPathError);
    expect(await store.list('')).toEqual([]);
    expect(await readFile(join(outside, '2024-03-01', '1709247610000-13.wav'), 'utf8')).toBe('secret');
  });

  it('refuses a clip name that is a symlink to a file outside', async () => {
    const secret = join(base, 'secret.txt');
    await writeFile(secret, 'secret');
    await store.put(clipPath(USER, '2024-03-01', 'other'), Buffer.from('x'));
    await symlink(secret, join(base, 'clips', USER, '2024-03-01', '1709247610000-13.wav'));

    await expect(store.get(PATH)).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.put(PATH, Buffer.from('overwrite'))).rejects.toBeInstanceOf(UnsafeClipPathError);
    await expect(store.delete(PATH)).rejects.toBeInstanceOf(UnsafeClipPathError);
    expect(await readFile(secret, 'utf8')).toBe('secret');
  });

  it('works when the root itself is reached through a symlink', async () => {
    const real = join(base, 'real-root');
    await mkdir(real);
    await symlink(real, join(base, 'linked-root'));
    const linked = await FsClipStore.open(join(base, 'linked-root'));
    await linked.put(PATH, Buffer.from('ok'));
    expect(await readFile(join(real, USER, '2024-03-01', '1709247610000-13.wav'), 'utf8')).toBe('ok');
  });
});
