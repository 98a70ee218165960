/**
 * Coarse-to-fine scheduling of YAMNet over the overlapping patch grid.
 *
 * YAMNet's patches overlap by half (0.96 s every 0.48 s), so each odd patch is mostly the audio of
 * its two even neighbours. Where neither neighbour shows any laughter evidence, the odd patch
 * cannot realistically hold a laugh that both of them missed, and running the network on it is
 * wasted work; its scores are taken as the mean of its neighbours'. Wherever a neighbour's
 * laughter score reaches `refineThreshold`, the odd patch is run for real, so events keep the full
 * 0.48 s resolution. On ordinary audio (speech, silence, noise) this halves inference, the most
 * expensive stage, without changing what is found near laughter.
 *
 * Frames leave in index order with no holes, so the detector downstream sees a normal stream.
 * Memory is bounded by a couple of batches of patches, whatever the recording length.
 */

export interface PatchOutput {
  scores: Float32Array;
  embedding: Float32Array;
}

export interface ScheduledFrame extends PatchOutput {
  index: number;
  /** True when the network ran on this patch; false when it was filled from its neighbours. */
  inferred: boolean;
}

export interface PatchSchedulerOptions {
  /** Off: every patch is inferred (the exact, slower mode). */
  enabled: boolean;
  /** A neighbour's laughter score at or above this makes the odd patch between them run for real. */
  refineThreshold: number;
  /** The laughter score of a frame, as the detector computes it (family combination or learned head). */
  laughterScore: (output: PatchOutput) => number;
}

export class PatchScheduler {
  /** Patches waiting for the network, in the order they should run. */
  private readonly queue: { index: number; patch: Float32Array }[] = [];
  /** Odd patches waiting for both neighbours' results before the decision to run or fill. */
  private readonly waiting = new Map<number, Float32Array>();
  /** Results not yet released, kept while a neighbour may still need them. */
  private readonly results = new Map<number, PatchOutput & { inferred: boolean; score: number }>();
  private nextRelease = 0;
  private received = 0;
  private ended = false;
  private inferredCount = 0;

  constructor(private readonly options: PatchSchedulerOptions) {}

  /** Patches given so far and how many of them the network actually ran on. */
  get stats(): { patches: number; inferred: number } {
    return { patches: this.received, inferred: this.inferredCount };
  }

  /** Adds the next patch of the recording (indices are implicit: 0, 1, 2, …). */
  addPatch(patch: Float32Array): void {
    if (this.ended) throw new Error('PatchScheduler: addPatch() after end()');
    const index = this.received++;
    if (!this.options.enabled || index % 2 === 0) this.queue.push({ index, patch });
    else this.waiting.set(index, patch);
  }

  /** No more patches: a trailing odd patch has no right neighbour, so it is run. */
  end(): void {
    this.ended = true;
    this.decideWaiting();
  }

  /** How many patches are ready to be run. */
  get queued(): number {
    return this.queue.length;
  }

  /** Takes up to `max` patches to run, in order. */
  takeBatch(max: number): { index: number; patch: Float32Array }[] {
    return this.queue.splice(0, max);
  }

  /** Results of a batch taken with takeBatch; returns the frames that can now be released in order. */
  addResults(batch: { index: number }[], outputs: PatchOutput[]): ScheduledFrame[] {
    batch.forEach(({ index }, i) => {
      const output = outputs[i];
      this.results.set(index, { ...output, inferred: true, score: this.options.laughterScore(output) });
      this.inferredCount++;
    });
    this.decideWaiting();
    return this.release();
  }

  /** True when every patch given has been released. */
  get drained(): boolean {
    return this.nextRelease === this.received && this.queue.length === 0 && this.waiting.size === 0;
  }

  private decideWaiting(): void {
    for (const [index, patch] of this.waiting) {
      const left = this.results.get(index - 1);
      const right = this.results.get(index + 1);
      const rightMissing = this.ended && index + 1 >= this.received;
      if (!left || (!right && !rightMissing)) continue;
      this.waiting.delete(index);
      if (!right || Math.max(left.score, right.score) >= this.options.refineThreshold) {
        this.queue.push({ index, patch });
      } else {
        const filled = { scores: mean(left.scores, right.scores), embedding: mean(left.embedding, right.embedding) };
        this.results.set(index, { ...filled, inferred: false, score: this.options.laughterScore(filled) });
      }
    }
    // Refinements run before later even patches so frames can be released as early as possible.
    this.queue.sort((a, b) => a.index - b.index);
  }

  private release(): ScheduledFrame[] {
    const out: ScheduledFrame[] = [];
    for (;;) {
      const result = this.results.get(this.nextRelease);
      if (!result) break;
      out.push({ index: this.nextRelease, scores: result.scores, embedding: result.embedding, inferred: result.inferred });
      this.nextRelease++;
    }
    // An even result is needed by the odd patch after it until that one is decided.
    for (const index of this.results.keys()) {
      if (index < this.nextRelease - 1) this.results.delete(index);
    }
    return out;
  }
}

function mean(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}
