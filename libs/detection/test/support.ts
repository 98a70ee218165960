import type { DetectionFrame } from '../src/types';

export const CLASS_COUNT = 521;

/** A frame whose class scores are zero except those given (class id → score). */
export function frame(index: number, classScores: Readonly<Record<number, number>> = {}, embedding?: Float32Array): DetectionFrame {
  const scores = new Float32Array(CLASS_COUNT);
  for (const [id, p] of Object.entries(classScores)) scores[Number(id)] = p;
  return embedding ? { index, scores, embedding } : { index, scores };
}

/** Frames firstIndex, firstIndex + 1, ... with class `classId` (default 13 Laughter) at each score. */
export function laughFrames(values: readonly number[], classId = 13, firstIndex = 0): DetectionFrame[] {
  return values.map((p, i) => frame(firstIndex + i, { [classId]: p }));
}

/** Small deterministic PRNG (mulberry32) so property tests are reproducible from their seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `items` into consecutive chunks of random size (empty chunks included on purpose). */
export function randomChunks<T>(items: readonly T[], random: () => number, maxChunk: number): T[][] {
  const chunks: T[][] = [];
  let i = 0;
  while (i < items.length) {
    const size = Math.floor(random() * (maxChunk + 1));
    chunks.push(items.slice(i, i + size));
    i += size;
  }
  chunks.push([]);
  return chunks;
}
