/**
 * The reconciliation run's view of the transient audio bucket (BUCKETS.audio): a listing with
 * modification times and deletion. A port, so the run does not depend on NATS; the JetStream
 * adapter (adapters/transient-objects.adapter.ts) implements it.
 */
import { type AudioObjectInfo } from './reconcile-plan';

export const AUDIO_OBJECTS = Symbol('AUDIO_OBJECTS');

export interface AudioObjects {
  listAudio(): Promise<AudioObjectInfo[]>;
  /** Resolves false when the object was already gone. */
  deleteAudio(name: string): Promise<boolean>;
}
