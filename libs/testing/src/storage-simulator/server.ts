import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { defaultJwtKeys, type JwtKeys } from '../jwt/keys';
import { verifyJwt } from '../jwt/verify-jwt';
import { makeTempDir } from '../process/temp-dir';
import { ObjectStore, type StoredObject, StorageError } from './object-store';

export interface StorageSimulatorOptions {
  port?: number;
  host?: string;
  keys?: JwtKeys;
  /** Buckets to create at start. */
  buckets?: Array<string | { id: string; public?: boolean }>;
}

export interface StorageSimulator {
  url: string;
  port: number;
  /** Where object bytes live (a temp dir removed by stop). */
  root: string;
  store: ObjectStore;
  stop(): Promise<void>;
}

type Role = 'anon' | 'authenticated' | 'service_role';

/**
 * A small Supabase Storage: buckets, and objects under `/object/{bucket}/{path}` (upload with
 * POST/PUT and `x-upsert`, raw or multipart bodies; download; info; list; remove), with the
 * response shapes storage-js reads. Paths are the Storage API's own; behind the router they are
 * under `/storage/v1`. Access: every request needs a valid JWT; writes and bucket management need
 * `service_role`, reads need `authenticated` or `service_role`, `/object/public/...` needs a public
 * bucket and no token. There is no RLS on objects.
 */
export async function startStorageSimulator(options: StorageSimulatorOptions = {}): Promise<StorageSimulator> {
  const keys = options.keys ?? (await defaultJwtKeys());
  const dir = makeTempDir('storage');
  const store = new ObjectStore(dir.path);
  for (const b of options.buckets ?? []) {
    if (typeof b === 'string') store.createBucket(b);
    else store.createBucket(b.id, b.public);
  }
  const sockets = new Set<Socket>();

  const roleOf = async (req: IncomingMessage): Promise<Role> => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new StorageError(400, 'Error', 'headers must have required property \'authorization\'');
    try {
      const claims = await verifyJwt(m[1], keys);
      return (claims.role as Role) ?? 'anon';
    } catch (err) {
      throw new StorageError(400, 'InvalidJWT', (err as Error).message);
    }
  };
  const need = (role: Role, allowed: Role[]) => {
    if (!allowed.includes(role)) throw new StorageError(403, 'Unauthorized', `role ${role} may not do this`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://storage');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const [area, ...rest] = parts;

    if (area === 'object' && rest[0] === 'public' && (method === 'GET' || method === 'HEAD')) {
      const [, bucket, ...name] = rest;
      if (!store.bucket(bucket).public) throw new StorageError(400, 'not_found', 'Object not found');
      return sendObject(req, res, store, bucket, name.join('/'));
    }
    const role = await roleOf(req);

    if (area === 'bucket') {
      const [id, action] = rest;
      if (method === 'GET' && !id) return json(res, 200, store.listBuckets());
      if (method === 'GET') return json(res, 200, store.bucket(id));
      need(role, ['service_role']);
      if (method === 'POST' && !id) {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { id?: string; name?: string; public?: boolean };
        const b = store.createBucket(body.id ?? body.name ?? '', body.public ?? false);
        return json(res, 200, { name: b.name });
      }
      if (method === 'POST' && action === 'empty') {
        store.emptyBucket(id);
        return json(res, 200, { message: 'Successfully emptied' });
      }
      if (method === 'DELETE') {
        store.deleteBucket(id);
        return json(res, 200, { message: 'Successfully deleted' });
      }
    }

    if (area === 'object') {
      if (rest[0] === 'list' && method === 'POST') {
        need(role, ['authenticated', 'service_role']);
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as {
          prefix?: string;
          limit?: number;
          offset?: number;
          search?: string;
        };
        return json(res, 200, list(store.objectsIn(store.bucket(rest[1]).id), body));
      }
      if (rest[0] === 'info' && method === 'GET') {
        need(role, ['authenticated', 'service_role']);
        const [, ...p] = rest[1] === 'authenticated' ? rest.slice(1) : rest;
        const [bucket, ...name] = p;
        return json(res, 200, objectInfo(store.info(bucket, name.join('/'))));
      }
      const [first, ...tail] = rest;
      const [bucket, ...name] = first === 'authenticated' ? tail : rest;
      const path = name.join('/');
      if ((method === 'GET' || method === 'HEAD') && path) {
        need(role, ['authenticated', 'service_role']);
        return sendObject(req, res, store, bucket, path);
      }
      if ((method === 'POST' || method === 'PUT') && path) {
        need(role, ['service_role']);
        const upsert = method === 'PUT' || req.headers['x-upsert'] === 'true';
        const { data, contentType, cacheControl } = await uploadBody(req);
        const obj = store.put(bucket, path, data, contentType, cacheControl, upsert);
        return json(res, 200, { Key: `${bucket}/${path}`, Id: obj.id });
      }
      if (method === 'DELETE' && !path) {
        need(role, ['service_role']);
        store.bucket(bucket);
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { prefixes?: string[] };
        const removed = (body.prefixes ?? []).map((p) => store.delete(bucket, p)).filter((o): o is StoredObject => !!o);
        return json(res, 200, removed.map(objectInfo));
      }
    }
    throw new StorageError(404, 'not_found', `no route ${method} ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof StorageError) {
        return json(res, err.status, { statusCode: String(err.status), error: err.code, message: err.message });
      }
      json(res, 500, { statusCode: '500', error: 'internal', message: (err as Error).message });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    root: dir.path,
    store,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      dir.remove();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * An object download, streamed from its file. Like Storage (which forwards Range to S3): a single
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` range answers 206 with Content-Range; a range that starts
 * past the end answers 416 (Content-Range `bytes *` over the size); several ranges or a header that is
 * not a byte range are ignored (200 with the whole object), as RFC 9110 allows.
 */
function sendObject(req: IncomingMessage, res: ServerResponse, store: ObjectStore, bucket: string, path: string): void {
  const obj = store.info(bucket, path);
  const range = byteRange(req.headers.range, obj.size);
  const headers: Record<string, string | number> = {
    'Content-Type': obj.contentType,
    'Cache-Control': obj.cacheControl,
    'Accept-Ranges': 'bytes',
    ETag: `"${obj.id}-${obj.updatedAt}"`,
    'Last-Modified': new Date(obj.updatedAt).toUTCString(),
  };
  if (range === 'unsatisfiable') {
    const text = JSON.stringify({ statusCode: '416', error: 'InvalidRange', message: 'The requested range is not satisfiable' });
    res.writeHead(416, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Content-Range': `bytes */${obj.size}` });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${obj.size}`;
    headers['Content-Length'] = range.end - range.start + 1;
  } else headers['Content-Length'] = obj.size;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === 'HEAD' || obj.size === 0) {
    res.end();
    return;
  }
  const { stream } = store.open(bucket, path, range ?? undefined);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** A single satisfiable range, 'unsatisfiable', or null (no range, or one to ignore). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  return { start, end: Math.min(end, size - 1) };
}

function objectInfo(o: StoredObject) {
  return {
    id: o.id,
    name: o.name,
    bucket_id: o.bucket,
    version: o.id,
    size: o.size,
    content_type: o.contentType,
    cache_control: o.cacheControl,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    last_modified: o.updatedAt,
    metadata: metadataOf(o),
  };
}

function metadataOf(o: StoredObject) {
  return {
    size: o.size,
    mimetype: o.contentType,
    cacheControl: o.cacheControl,
    lastModified: o.updatedAt,
    contentLength: o.size,
    eTag: `"${o.id}"`,
    httpStatusCode: 200,
  };
}

/** storage-js `list`: the direct children (files and folders) of `prefix`. */
function list(objects: StoredObject[], q: { prefix?: string; limit?: number; offset?: number; search?: string }) {
  const prefix = (q.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const base = prefix ? `${prefix}/` : '';
  const folders = new Set<string>();
  const files: ReturnType<typeof fileEntry>[] = [];
  for (const o of objects) {
    if (!o.name.startsWith(base)) continue;
    const rest = o.name.slice(base.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) folders.add(rest.slice(0, slash));
    else files.push(fileEntry(rest, o));
  }
  const entries = [
    ...[...folders].sort().map((name) => ({
      name,
      id: null,
      updated_at: null,
      created_at: null,
      last_accessed_at: null,
      metadata: null,
    })),
    ...files.sort((a, b) => a.name.localeCompare(b.name)),
  ].filter((e) => !q.search || e.name.includes(q.search));
  const offset = q.offset ?? 0;
  return entries.slice(offset, offset + (q.limit ?? 100));
}

function fileEntry(name: string, o: StoredObject) {
  return {
    name,
    id: o.id,
    updated_at: o.updatedAt,
    created_at: o.createdAt,
    last_accessed_at: o.updatedAt,
    metadata: metadataOf(o),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Raw bodies (Buffer uploads) or multipart/form-data (Blob/File uploads from storage-js). */
async function uploadBody(req: IncomingMessage): Promise<{ data: Buffer; contentType: string; cacheControl: string }> {
  const raw = await readBody(req);
  const type = req.headers['content-type'] ?? 'application/octet-stream';
  const cacheHeader = /max-age=(\d+)/.exec(req.headers['cache-control'] ?? '');
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    let file: Blob | undefined;
    form.forEach((v) => {
      if (!file && typeof v !== 'string') file = v;
    });
    if (!file) throw new StorageError(400, 'InvalidRequest', 'multipart upload without a file');
    const cache = form.get('cacheControl');
    return {
      data: Buffer.from(await file.arrayBuffer()),
      contentType: file.type || 'application/octet-stream',
      cacheControl: `max-age=${typeof cache === 'string' ? cache : '3600'}`,
    };
  }
  return { data: raw, contentType: type, cacheControl: `max-age=${cacheHeader?.[1] ?? '3600'}` };
}
