import { withClient } from '../postgres/pg-admin';

/**
 * Tells PostgREST to reload its schema cache (after migrations) and, when `postgrestUrl` is given,
 * waits until a request for `probeTable` stops failing with "not found in the schema cache".
 */
export async function reloadPostgrestSchema(
  databaseUrl: string,
  probe?: { postgrestUrl: string; table: string; token?: string; timeoutMs?: number },
): Promise<void> {
  await withClient(databaseUrl, (c) => c.query(`NOTIFY pgrst, 'reload schema'`));
  if (!probe) return;
  const deadline = Date.now() + (probe.timeoutMs ?? 10_000);
  for (;;) {
    const res = await fetch(`${probe.postgrestUrl}/${probe.table}?limit=0`, {
      headers: probe.token ? { Authorization: `Bearer ${probe.token}` } : {},
    });
    const body = await res.text();
    if (res.status !== 404 || !/PGRST205|PGRST202|schema cache/i.test(body)) return;
    if (Date.now() > deadline) throw new Error(`PostgREST did not see ${probe.table}: ${body}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
