import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync, type ReadStream } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StoredObject {
  id: string;
  bucket: string;
  name: string;
  size: number;
  contentType: string;
  cacheControl: string;
  createdAt: string;
  updatedAt: string;
}

export interface Bucket {
  id: string;
  name: string;
  public: boolean;
  created_at: string;
  updated_at: string;
}

export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks an object path: relative, no empty, `.` or `..` segments. */
export function checkObjectName(name: string): string {
  const segments = name.split('/');
  if (!name || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new StorageError(400, 'InvalidKey', `Invalid key: ${name}`);
  }
  return name;
}

/** Buckets and objects: metadata in memory, bytes in files under `root`. */
export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly objects = new Map<string, StoredObject>(); // `${bucket}/${name}`

  constructor(private readonly root: string) {}

  createBucket(id: string, isPublic = false): Bucket {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) throw new StorageError(400, 'InvalidBucketName', `Invalid bucket name ${id}`);
    if (this.buckets.has(id)) throw new StorageError(409, 'Duplicate', 'The resource already exists');
    const now = new Date().toISOString();
    const bucket = { id, name: id, public: isPublic, created_at: now, updated_at: now };
    this.buckets.set(id, bucket);
    return bucket;
  }

  bucket(id: string): Bucket {
    const b = this.buckets.get(id);
    if (!b) throw new StorageError(404, 'Bucket not found', 'Bucket not found');
    return b;
  }

  listBuckets(): Bucket[] {
    return [...this.buckets.values()];
  }

  emptyBucket(id: string): void {
    this.bucket(id);
    for (const o of this.objectsIn(id)) this.delete(id, o.name);
  }

  deleteBucket(id: string): void {
    this.bucket(id);
    if (this.objectsIn(id).length) throw new StorageError(409, 'InvalidRequest', 'The bucket you tried to delete is not empty');
    this.buckets.delete(id);
  }

  put(bucket: string, name: string, data: Buffer, contentType: string, cacheControl: string, upsert: boolean): StoredObject {
    this.bucket(bucket);
    checkObjectName(name);
    const key = `${bucket}/${name}`;
    const existing = this.objects.get(key);
    if (existing && !upsert) throw new StorageError(409, 'Duplicate', 'The resource already exists');
    const now = new Date().toISOString();
    const obj: StoredObject = {
      id: existing?.id ?? randomUUID(),
      bucket,
      name,
      size: data.length,
      contentType,
      cacheControl,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const file = this.file(bucket, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
    this.objects.set(key, obj);
    return obj;
  }

  info(bucket: string, name: string): StoredObject {
    this.bucket(bucket);
    const obj = this.objects.get(`${bucket}/${checkObjectName(name)}`);
    if (!obj) throw new StorageError(404, 'not_found', 'Object not found');
    return obj;
  }

  read(bucket: string, name: string): { obj: StoredObject; data: Buffer } {
    const obj = this.info(bucket, name);
    return { obj, data: readFileSync(this.file(bucket, name)) };
  }

  /**
   * Streams an object's bytes (or the inclusive byte range of them) from its file, so a large
   * object is never held in memory — as real Storage streams from S3.
   */
  open(bucket: string, name: string, range?: { start: number; end: number }): { obj: StoredObject; stream: ReadStream } {
    const obj = this.info(bucket, name);
    return { obj, stream: createReadStream(this.file(bucket, name), range ?? {}) };
  }

  delete(bucket: string, name: string): StoredObject | undefined {
    const key = `${bucket}/${name}`;
    const obj = this.objects.get(key);
    if (!obj) return undefined;
    this.objects.delete(key);
    rmSync(this.file(bucket, name), { force: true });
    return obj;
  }

  objectsIn(bucket: string): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.bucket === bucket);
  }

  private file(bucket: string, name: string): string {
    return join(this.root, bucket, ...name.split('/'));
  }
}
