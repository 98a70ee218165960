import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import { IMPORT_ERROR_CODES } from '@giggles/contracts';
import { deleteObject, getObjectStream, ObjectNotFoundError, putObjectStream } from '@giggles/messaging';
import type { ImportObjects, LocalCopy } from '../services/import-ports';
import { ImportRefusal } from '../services/import-refusal';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/**
 * Uploaded recordings in BUCKETS.audio. The temporary copy lives in its own private directory under
 * the OS temp dir (named by mkdtemp, never by anything the client sent) and is removed after use.
 */
@Injectable()
export class JetStreamImportObjects implements ImportObjects {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async copyToLocal(name: string, maxBytes: number): Promise<LocalCopy> {
    const info = await this.nats.audioBucket.store.info(name);
    if (!info || info.deleted) throw new ImportRefusal(IMPORT_ERROR_CODES.missing, 'the uploaded file is gone (expired or never completed): upload it again');
    if (info.size > maxBytes) throw new ImportRefusal(IMPORT_ERROR_CODES.tooLarge, `the file is ${info.size} bytes; at most ${maxBytes} are accepted`);

    const dir = await mkdtemp(join(tmpdir(), 'giggles-import-'));
    const path = join(dir, 'recording');
    const remove = () => rm(dir, { recursive: true, force: true });
    const hash = createHash('sha256');
    let bytes = 0;
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    try {
      for await (const chunk of getObjectStream(this.nats.audioBucket, name)) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw new ImportRefusal(IMPORT_ERROR_CODES.tooLarge, `the file is over ${maxBytes} bytes`);
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');
    } catch (error) {
      out.destroy();
      await remove();
      if (error instanceof ObjectNotFoundError) throw new ImportRefusal(IMPORT_ERROR_CODES.missing, 'the uploaded file is gone (expired or never completed): upload it again');
      throw error;
    }
    return { path, sha256: hash.digest('hex'), bytes, remove };
  }

  async duplicate(name: string, copyName: string, metadata: Record<string, string>): Promise<void> {
    await putObjectStream(this.nats.audioBucket, copyName, getObjectStream(this.nats.audioBucket, name), {
      description: 'Imported recording (one local day of it)',
      metadata,
    });
  }

  async replaceFromFile(name: string, path: string): Promise<void> {
    const info = await this.nats.audioBucket.store.info(name);
    await putObjectStream(this.nats.audioBucket, name, createReadStream(path, { highWaterMark: 128 * 1024 }), {
      description: 'Imported recording (MP4 index moved to the front)',
      metadata: info?.metadata ?? {},
    });
  }

  remove(name: string): Promise<boolean> {
    return deleteObject(this.nats.audioBucket, name);
  }
}
