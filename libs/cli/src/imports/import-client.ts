import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { BUCKETS, INGESTION_REQUESTS, QUERIES, type ImportRecord, type ImportRecordingReply, type UserByEmailReply } from '@giggles/contracts';
import { connectNats, openObjectBucket, putObjectStream, request, type ObjectBucket } from '@giggles/messaging';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Longest wait for the TCP/NATS handshake: an unreachable server should fail fast. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The CLI's side of an import, over NATS: who the user is (persistence), streaming a file into the
 * audio bucket chunk by chunk (never the whole file in memory), and asking ingestion to import it.
 */
export class ImportClient {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly bucket: ObjectBucket,
    private readonly timeoutMs: number,
  ) {}

  static async connect(natsUrl: string, timeoutMs: number): Promise<ImportClient> {
    const nc = await connectNats(natsUrl, 'giggles-cli-import', {
      reconnect: false,
      maxReconnectAttempts: 0,
      waitOnFirstConnect: false,
      timeout: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
    });
    try {
      const bucket = await openObjectBucket(jetstream(nc), BUCKETS.audio);
      return new ImportClient(nc, bucket, timeoutMs);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  userByEmail(email: string): Promise<UserByEmailReply> {
    return request(this.nc, QUERIES.userByEmail, { email }, { timeoutMs: this.timeoutMs });
  }

  /** Uploads the file under a fresh object name, then asks ingestion to import it. */
  async importFile(userId: string, path: string, start: string | undefined): Promise<ImportRecordingReply> {
    const audioObject = `imports/${userId}/${randomUUID()}`;
    await putObjectStream(this.bucket, audioObject, createReadStream(path, { highWaterMark: 128 * 1024 }), {
      description: 'Imported recording (giggles import)',
      metadata: { userId, source: 'cli' },
    });
    return request(
      this.nc,
      INGESTION_REQUESTS.importRecording,
      { userId, audioObject, fileName: basename(path), source: 'cli', ...(start !== undefined ? { start } : {}) },
      { timeoutMs: this.timeoutMs },
    );
  }

  /** One import as persistence derives it now (processing, done with laughs per day, failed, rejected). */
  async importRecord(userId: string, importId: string): Promise<ImportRecord | undefined> {
    const reply = await request(this.nc, QUERIES.importsList, { userId, limit: 1, importId }, { timeoutMs: this.timeoutMs });
    return reply.imports[0];
  }

  async close(): Promise<void> {
    await this.nc.close().catch(() => undefined);
  }
}
