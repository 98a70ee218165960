/**
 * The transient objects a result refers to: the window's audio and the clips inference cut, in
 * JetStream object-store buckets (BUCKETS.audio / BUCKETS.clips). A port, so the handler does
 * not depend on NATS; the adapter over @giggles/messaging's object store comes with the
 * consumer wiring.
 */
export interface TransientObjects {
  /** The clip's bytes; rejects with an error named ObjectNotFoundError when it is gone. */
  readClip(name: string): AsyncIterable<Uint8Array>;
  /** Resolves false when the object was already gone. */
  deleteClip(name: string): Promise<boolean>;
  deleteAudio(name: string): Promise<boolean>;
}

export function isObjectNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ObjectNotFoundError';
}
