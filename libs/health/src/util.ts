import type { HealthIndicatorResult } from '@nestjs/terminus';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rejects when `promise` does not settle within `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** One indicator's result under its key (Terminus' result type is keyed by a literal). */
export function indicatorResult<Key extends string>(key: Key, status: 'up' | 'down', data: Record<string, unknown>): HealthIndicatorResult<Key> {
  return { [key]: { ...data, status } } as unknown as HealthIndicatorResult<Key>;
}
