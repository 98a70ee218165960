/**
 * A byte stream whose first bytes can be looked at before deciding how to decode it (format
 * sniffing, WAV codec probing), after which iteration still yields every byte from the start.
 * Only the peeked prefix is buffered; the rest streams through untouched.
 */
export class PeekableByteStream implements AsyncIterable<Uint8Array> {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly head: Uint8Array[] = [];
  private headLength = 0;
  private done = false;
  private iterated = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** At least `bytes` bytes from the start (fewer only when the stream is shorter). */
  async peek(bytes: number): Promise<Uint8Array> {
    if (this.iterated) throw new Error('PeekableByteStream: peek() after iteration started');
    while (this.headLength < bytes && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (next.value.length === 0) continue;
      this.head.push(next.value);
      this.headLength += next.value.length;
    }
    if (this.head.length > 1) {
      const joined = concatBytes(this.head, this.headLength);
      this.head.length = 0;
      this.head.push(joined);
    }
    return this.head[0] ?? new Uint8Array(0);
  }

  /** True once peek() has seen the end of the stream (so the whole input is the peeked prefix). */
  get endedWithinPeek(): boolean {
    return this.done;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.iterated) throw new Error('PeekableByteStream can be iterated once');
    this.iterated = true;
    try {
      while (this.head.length) {
        const chunk = this.head.shift() as Uint8Array;
        yield chunk;
      }
      this.headLength = 0;
      while (!this.done) {
        const next = await this.iterator.next();
        if (next.done) {
          this.done = true;
          break;
        }
        if (next.value.length) yield next.value;
      }
    } finally {
      if (!this.done) {
        // Stop the underlying source (closes the file / aborts the download) when the consumer
        // stops early.
        this.done = true;
        await this.iterator.return?.();
      }
    }
  }

  /** Releases the underlying source without reading it. */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }
}

export function concatBytes(parts: readonly Uint8Array[], totalLength?: number): Uint8Array {
  const length = totalLength ?? parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
