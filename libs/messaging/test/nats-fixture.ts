import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { MessagingLogger } from '../src';

/**
 * A connection to the shared test NATS plus names unique to one test, so parallel test files
 * and other engineers' runs never touch each other's streams (stream subjects may not overlap).
 */
export interface Nats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export async function connectTestNats(): Promise<Nats> {
  const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222', name: 'giggles-messaging-tests' });
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
}

export interface TestNames {
  id: string;
  workStream: string;
  workSubject: string;
  deadStream: string;
  deadPrefix: string;
  bucket: string;
  subjectPrefix: string;
}

export function uniqueNames(): TestNames {
  const id = randomBytes(5).toString('hex');
  return {
    id,
    workStream: `TEST_${id}_WORK`,
    workSubject: `test.${id}.work`,
    deadStream: `TEST_${id}_DEAD`,
    deadPrefix: `test.${id}.dead.`,
    bucket: `test-${id}-bucket`,
    subjectPrefix: `test.${id}.`,
  };
}

export async function deleteStreams(jsm: JetStreamManager, names: readonly string[]): Promise<void> {
  for (const name of names) {
    try {
      await jsm.streams.delete(name);
    } catch (error) {
      if (!(error instanceof JetStreamApiError)) throw error;
    }
  }
}

/** Records log calls so tests can assert on what was reported. */
export function recordingLogger(): MessagingLogger & { lines: { level: string; message: string; fields: object }[] } {
  const lines: { level: string; message: string; fields: object }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Polls `check` until it returns true or the deadline passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
