/**
 * The last `capacity` samples of a stream, addressed by absolute sample position. Clips are cut
 * from here while the recording streams past, so an 8-hour file never has to be held (or decoded
 * twice) to cut its clips: memory is the ring, whatever the recording length.
 */
export class SampleRing {
  private readonly buffer: Float32Array;
  /** Absolute position (samples from the start of the stream) one past the newest sample. */
  private end = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.buffer = new Float32Array(capacity);
  }

  /** Absolute position of the oldest sample still held. */
  get start(): number {
    return Math.max(0, this.end - this.capacity);
  }

  get position(): number {
    return this.end;
  }

  push(samples: Float32Array): void {
    let input = samples;
    if (input.length > this.capacity) input = input.subarray(input.length - this.capacity);
    // Only the tail matters when a push is larger than the ring; positions still count it all.
    this.end += samples.length - input.length;
    let offset = this.end % this.capacity;
    let copied = 0;
    while (copied < input.length) {
      const n = Math.min(input.length - copied, this.capacity - offset);
      this.buffer.set(input.subarray(copied, copied + n), offset);
      copied += n;
      offset = (offset + n) % this.capacity;
    }
    this.end += input.length;
  }

  /**
   * Copies samples [from, to) (absolute positions). Throws when any part has already left the
   * ring or has not arrived yet: a silent short clip would be worse than a clear failure.
   */
  read(from: number, to: number): Float32Array {
    if (!(from >= 0 && to >= from)) throw new RangeError(`bad sample range [${from}, ${to})`);
    if (from < this.start || to > this.end) {
      throw new RangeError(`samples [${from}, ${to}) are not in the ring (holds [${this.start}, ${this.end}))`);
    }
    const out = new Float32Array(to - from);
    let written = 0;
    let offset = from % this.capacity;
    while (written < out.length) {
      const n = Math.min(out.length - written, this.capacity - offset);
      out.set(this.buffer.subarray(offset, offset + n), written);
      written += n;
      offset = 0;
    }
    return out;
  }
}
