import { NotFoundException } from '@nestjs/common';
import { CLIP_CHUNK_MAX, QUERIES, type ReadClipRequest } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import type { NatsQueryClient } from '../adapters/nats-query.client';
import { ClipsService, type ClipReply } from './clips.service';

/** Persistence's readClip over an in-memory file (the real query is exercised by the API tests). */
function clipsOver(file: Buffer, owner = 'u1'): { service: ClipsService; reads: ReadClipRequest[] } {
  const reads: ReadClipRequest[] = [];
  const queries = {
    async ask(subject: string, request: ReadClipRequest) {
      expect(subject).toBe(QUERIES.readClip);
      reads.push(request);
      if (request.userId !== owner) throw new NotFoundException('no such laugh');
      const offset = request.offset ?? 0;
      const data = file.subarray(offset, offset + (request.length ?? CLIP_CHUNK_MAX));
      return { size: file.length, etag: '"e1"', contentType: 'audio/wav', offset, dataBase64: data.toString('base64') };
    },
  } as unknown as NatsQueryClient;
  return { service: new ClipsService(queries), reads };
}

async function body(reply: ClipReply): Promise<Buffer> {
  if (reply.kind !== 'body') throw new Error(`no body: ${reply.kind}`);
  const parts: Buffer[] = [];
  for await (const chunk of reply.chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

const file = Buffer.from(Array.from({ length: CLIP_CHUNK_MAX * 2 + 1000 }, (_, i) => i % 251));

describe('ClipsService', () => {
  it('streams the whole clip in chunks, reusing the first read', async () => {
    const { service, reads } = clipsOver(file);
    const reply = await service.open('u1', 'l1', {});
    expect(reply).toMatchObject({ kind: 'body', status: 200, size: file.length, start: 0, end: file.length - 1 });
    expect((await body(reply)).equals(file)).toBe(true);
    expect(reads.map((r) => r.offset)).toEqual([0, CLIP_CHUNK_MAX, CLIP_CHUNK_MAX * 2]);
  });

  it('sends exactly the requested range across chunk boundaries', async () => {
    const { service } = clipsOver(file);
    const start = CLIP_CHUNK_MAX - 10;
    const reply = await service.open('u1', 'l1', { range: `bytes=${start}-${CLIP_CHUNK_MAX + 9}` });
    expect(reply).toMatchObject({ kind: 'body', status: 206, start, end: CLIP_CHUNK_MAX + 9 });
    expect((await body(reply)).equals(file.subarray(start, CLIP_CHUNK_MAX + 10))).toBe(true);
  });

  it('sends the last bytes for a suffix range, probing size with one byte instead of a whole chunk', async () => {
    const { service, reads } = clipsOver(file);
    const reply = await service.open('u1', 'l1', { range: 'bytes=-100' });
    expect((await body(reply)).equals(file.subarray(file.length - 100))).toBe(true);
    expect(reads.map((r) => [r.offset, r.length])).toEqual([
      [0, 1],
      [file.length - 100, CLIP_CHUNK_MAX],
    ]);
  });

  it('revalidates with a one-byte probe and still sends everything when the ETag changed', async () => {
    const { service, reads } = clipsOver(file);
    expect(await service.open('u1', 'l1', { ifNoneMatch: '"e1"' })).toMatchObject({ kind: 'not-modified' });
    expect(reads).toHaveLength(1);
    expect(reads[0].length).toBe(1);
    const changed = await service.open('u1', 'l1', { ifNoneMatch: '"old"' });
    expect((await body(changed)).equals(file)).toBe(true);
  });

  it('answers 304 for a matching If-None-Match and 416 past the end', async () => {
    const { service } = clipsOver(file);
    expect(await service.open('u1', 'l1', { ifNoneMatch: '"e1"' })).toEqual({ kind: 'not-modified', etag: '"e1"' });
    expect(await service.open('u1', 'l1', { range: `bytes=${file.length}-` })).toEqual({ kind: 'unsatisfiable', size: file.length, etag: '"e1"' });
  });

  it("passes persistence's 404 on for another user's laugh", async () => {
    const { service } = clipsOver(file, 'someone-else');
    await expect(service.open('u1', 'l1', {})).rejects.toBeInstanceOf(NotFoundException);
  });
});
