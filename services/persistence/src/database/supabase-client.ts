/**
 * The service-role supabase-js client every repository uses. The service-role key bypasses RLS:
 * it lives only in persistence and is never sent to users.
 */
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { type Database } from './database.types';

export type GigglesSupabaseClient = SupabaseClient<Database, 'public'>;

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

/** Nest injection token for the client. */
export const SUPABASE_CLIENT = Symbol('SUPABASE_CLIENT');

export interface ServiceClientOptions {
  url: string;
  serviceRoleKey: string;
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export function createServiceClient(options: ServiceClientOptions): GigglesSupabaseClient {
  return createClient<Database, 'public'>(options.url, options.serviceRoleKey, {
    // A server process has no browser session to persist or refresh.
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket; supabase-js refuses to start without a transport.
    // (ws's constructor is wider than realtime-js's declared WebSocketLike; the cast only narrows types.)
    realtime: { transport: WebSocket as unknown as RealtimeTransport },
    global: options.fetch ? { fetch: options.fetch } : {},
  });
}

/**
 * The global fetch with a deadline per request, for `ServiceClientOptions.fetch`: a request that
 * hangs (a black-holed connection) fails after `timeoutMs` like any other network error — a
 * transient DatabaseError the consumer retries — instead of holding its message forever.
 */
export function fetchWithTimeout(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return base(input, { ...init, signal });
  };
}
