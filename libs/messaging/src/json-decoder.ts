import { decodeJson } from '@giggles/contracts';

/** A `decode` for `runConsumer`: bytes → JSON → `parse` (e.g. `parseDayJob`). */
export function jsonDecoder<T>(parse: (json: unknown) => T): (data: Uint8Array, subject: string) => T {
  return (data, subject) => parse(decodeJson(data, subject));
}
