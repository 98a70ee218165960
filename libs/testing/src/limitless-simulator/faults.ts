import { type Rng } from './rng';

/** One injected misbehaviour for one request. */
export type Fault =
  | { kind: 'status'; status: number } // e.g. 500, 502, 503, 504 with a JSON error body
  | { kind: 'rate-limit'; retryAfterSeconds?: number; header?: boolean } // 429
  | { kind: 'unauthorized' } // 401 even for a valid key
  | { kind: 'delay'; ms: number } // respond normally, late
  | { kind: 'drop-before-headers' } // socket destroyed before any byte is sent
  | { kind: 'drop-mid-body' } // 200 headers and part of the body, then the socket is destroyed
  | { kind: 'corrupt' } // 200 audio/ogg with bytes that are not Ogg
  | { kind: 'truncate' }; // 200 with a complete HTTP body that is a truncated Ogg stream

/** Random faults; each rate is a probability per request (0..1), drawn from the seeded RNG. */
export interface FaultRates {
  serverErrorRate?: number;
  /** Statuses drawn from for serverErrorRate (default 500, 502, 503, 504). */
  serverErrorStatuses?: number[];
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  unauthorizedRate?: number;
  dropBeforeHeadersRate?: number;
  dropMidBodyRate?: number;
  corruptRate?: number;
  truncateRate?: number;
  /** Added to every response: a fixed delay or a [min, max] range. */
  delayMs?: number | [number, number];
}

/** Faults for one key (or for all keys): a queue of scripted faults first, then random rates. */
export class FaultPlan {
  private readonly queue: Fault[] = [];
  rates: FaultRates = {};

  enqueue(...faults: Fault[]): void {
    this.queue.push(...faults);
  }

  clear(): void {
    this.queue.length = 0;
    this.rates = {};
  }

  pending(): number {
    return this.queue.length;
  }

  /** The faults to apply to the next request (a delay can combine with another fault). */
  next(rng: Rng): Fault[] {
    const out: Fault[] = [];
    const r = this.rates;
    if (r.delayMs !== undefined) {
      const [lo, hi] = Array.isArray(r.delayMs) ? r.delayMs : [r.delayMs, r.delayMs];
      out.push({ kind: 'delay', ms: Math.round(lo + (hi - lo) * rng()) });
    }
    const scripted = this.queue.shift();
    if (scripted) return [...out, scripted];
    const roll = (p: number | undefined) => p !== undefined && p > 0 && rng() < p;
    if (roll(r.dropBeforeHeadersRate)) out.push({ kind: 'drop-before-headers' });
    else if (roll(r.unauthorizedRate)) out.push({ kind: 'unauthorized' });
    else if (roll(r.rateLimitRate)) out.push({ kind: 'rate-limit', retryAfterSeconds: r.retryAfterSeconds });
    else if (roll(r.serverErrorRate)) {
      const statuses = r.serverErrorStatuses ?? [500, 502, 503, 504];
      out.push({ kind: 'status', status: statuses[Math.floor(rng() * statuses.length)] });
    } else if (roll(r.dropMidBodyRate)) out.push({ kind: 'drop-mid-body' });
    else if (roll(r.corruptRate)) out.push({ kind: 'corrupt' });
    else if (roll(r.truncateRate)) out.push({ kind: 'truncate' });
    return out;
  }
}
