import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AudioDecodeError } from '../errors';

/** Checks that `path` exists, is not a directory and (if a regular file) is not empty; returns its size. */
export async function checkAudioFile(path: string): Promise<number> {
  let size: number;
  let regular: boolean;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new AudioDecodeError('NOT_FOUND', `audio file ${path} is a directory`);
    size = info.size;
    regular = info.isFile();
  } catch (error) {
    if (error instanceof AudioDecodeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be opened (${code ?? String(error)})`;
    throw new AudioDecodeError('NOT_FOUND', `audio file ${path} ${reason}`, { cause: error });
  }
  // Pipes and devices report size 0; only a regular file is known to be empty from its size.
  if (regular && size === 0) throw new AudioDecodeError('EMPTY', `audio file ${path} is empty (0 bytes)`);
  return size;
}

/** The file's bytes in chunks of `chunkBytes`, read on demand (memory stays at one chunk). */
export async function* readFileChunks(path: string, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw new AudioDecodeError('NOT_FOUND', `audio file ${path} could not be read: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
}
