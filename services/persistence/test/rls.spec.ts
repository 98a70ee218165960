/**
 * Row-level security as a signed-in user sees it: a user JWT (role authenticated, sub = user id)
 * through real PostgREST, against data written by the service role — on a database that got
 * Supabase's default grants (everything in public to anon/authenticated) before the migrations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GigglesSupabaseClient } from '../src/database/supabase-client';
import { jobProgress, segmentResult, userId } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

describe('row-level security through PostgREST', () => {
  let stack: Stack;
  const a = userId();
  const b = userId();
  let asA: GigglesSupabaseClient;
  let aDetection: string;
  let bDetection: string;

  beforeAll(async () => {
    stack = await startStack();
    for (const id of [a, b]) {
      await stack.users.upsertUser({ id, email: `${id}@example.test`, timezone: 'UTC' });
      await stack.keys.setKey(id, `lmtls-key-of-${id}`);
      await stack.results.recordJobProgress(jobProgress(id));
    }
    aDetection = (await stack.results.recordSegmentResult(segmentResult(a))).events[0].detectionId!;
    bDetection = (await stack.results.recordSegmentResult(segmentResult(b))).events[0].detectionId!;
    asA = await stack.userClient(a);
  });
  afterAll(() => stack?.stop());

  it('shows a user only their own detections', async () => {
    const { data, error } = await asA.from('laughter_detections').select('id, user_id');
    expect(error).toBeNull();
    expect(data).toHaveLength(2);
    expect(new Set(data!.map((row) => row.user_id))).toEqual(new Set([a]));

    const other = await asA.from('laughter_detections').select('id').eq('id', bDetection);
    expect(other.error).toBeNull();
    expect(other.data).toEqual([]);
  });

  it('shows only the user\'s own profile, segments, logs and jobs', async () => {
    for (const table of ['users', 'audio_segments', 'processing_logs', 'jobs'] as const) {
      const column = table === 'users' ? 'id' : 'user_id';
      const { data, error } = await asA.from(table).select(column);
      expect(error, table).toBeNull();
      expect(data!.length, table).toBeGreaterThan(0);
      expect(data!.every((row) => (row as unknown as Record<string, string>)[column] === a), table).toBe(true);
    }
  });

  it('lets a user see the state of their own key but never a ciphertext, and nothing of another\'s', async () => {
    const own = await asA.from('limitless_keys').select('user_id, status, is_active');
    expect(own.error).toBeNull();
    expect(own.data).toEqual([{ user_id: a, status: 'valid', is_active: true }]);

    const theirs = await asA.from('limitless_keys').select('user_id').eq('user_id', b);
    expect(theirs.data).toEqual([]);

    const cipher = await asA.from('limitless_keys').select('encrypted_api_key');
    expect(cipher.data).toBeNull();
    expect(cipher.error?.code).toBe('42501');
  });

  it('lets a user edit notes on their own detection only', async () => {
    const own = await asA.from('laughter_detections').update({ notes: 'dinner with Sam' }).eq('id', aDetection).select('id, notes');
    expect(own.error).toBeNull();
    expect(own.data).toEqual([{ id: aDetection, notes: 'dinner with Sam' }]);

    const theirs = await asA.from('laughter_detections').update({ notes: 'hijacked' }).eq('id', bDetection).select('id');
    expect(theirs.error).toBeNull();
    expect(theirs.data).toEqual([]);
    const [bRow] = await stack.db.query<{ notes: string | null }>('SELECT notes FROM laughter_detections WHERE id = $1', [bDetection]);
    expect(bRow.notes).toBeNull();
  });

  it('does not let a user change anything but notes, nor write rows', async () => {
    const probability = await asA.from('laughter_detections').update({ probability: 0.01 }).eq('id', aDetection);
    expect(probability.error?.code).toBe('42501');

    const [segment] = await stack.db.query<{ id: string }>('SELECT id FROM audio_segments WHERE user_id = $1', [a]);
    const insert = await asA.from('laughter_detections').insert({
      user_id: a,
      audio_segment_id: segment.id,
      timestamp: new Date().toISOString(),
      probability: 0.5,
    });
    expect(insert.error?.code).toBe('42501');

    const key = await asA.from('limitless_keys').update({ status: 'valid' }).eq('user_id', a);
    expect(key.error?.code).toBe('42501');
  });

  it('lets a user delete their own detection but not another\'s', async () => {
    const theirs = await asA.from('laughter_detections').delete().eq('id', bDetection).select('id');
    expect(theirs.data).toEqual([]);
    expect(await stack.db.query('SELECT id FROM laughter_detections WHERE id = $1', [bDetection])).toHaveLength(1);

    const [, second] = (await asA.from('laughter_detections').select('id').order('timestamp')).data!;
    const own = await asA.from('laughter_detections').delete().eq('id', second.id).select('id');
    expect(own.data).toEqual([{ id: second.id }]);
    expect(await stack.db.query('SELECT id FROM laughter_detections WHERE id = $1', [second.id])).toHaveLength(0);
  });

  it('keeps the write and query functions to the service role', async () => {
    const write = await asA.rpc('giggles_record_segment_result', { payload: { ...segmentResult(a) } as never });
    expect(write.error?.code).toBe('42501');
    const remove = await asA.rpc('giggles_delete_detection', { p_user_id: b, p_detection_id: bDetection });
    expect(remove.error?.code).toBe('42501');
    const days = await asA.rpc('giggles_user_days', { p_user_id: b });
    expect(days.error?.code).toBe('42501');
  });

  it('gives the anonymous role nothing', async () => {
    const anon = stack.client(stack.harness.anonKey);
    for (const table of ['users', 'limitless_keys', 'laughter_detections', 'audio_segments', 'processing_logs', 'jobs'] as const) {
      const { error } = await anon.from(table).select('*');
      expect(error?.code, table).toBe('42501');
    }
  });

  it('treats a token for an unknown user as seeing nothing', async () => {
    const stranger = await stack.userClient(userId());
    const { data, error } = await stranger.from('laughter_detections').select('id');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});
