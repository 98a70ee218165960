import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { indicatorResult } from '../util';

/**
 * Event-loop delay since the previous liveness check. A process whose loop is blocked for seconds
 * is not alive in any useful sense (timers, acks and heartbeats all stall).
 */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;

  constructor(private readonly resolutionMs = 20) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
  }

  /** Max, p99 and mean delay (ms) since the last call, then starts a new interval. */
  sample(): { maxMs: number; p99Ms: number; meanMs: number } {
    const h = this.histogram;
    // The histogram records whole timer intervals: the sampling resolution itself is not delay.
    const toMs = (ns: number) => (Number.isFinite(ns) ? Math.max(0, Math.round((ns / 1e6 - this.resolutionMs) * 10) / 10) : 0);
    const result = { maxMs: toMs(h.max), p99Ms: toMs(h.percentile(99)), meanMs: toMs(h.mean) };
    h.reset();
    return result;
  }

  stop(): void {
    this.histogram.disable();
  }
}

export function checkEventLoop<const Key extends string>(key: Key, monitor: EventLoopMonitor, maxDelayMs: number): HealthIndicatorResult<Key> {
  const delay = monitor.sample();
  const pid = process.pid;
  const uptimeS = Math.round(process.uptime());
  if (delay.maxMs > maxDelayMs) {
    const message = `event loop was blocked for ${delay.maxMs} ms (limit ${maxDelayMs} ms) since the last probe`;
    return indicatorResult(key, 'down', { pid, uptimeS, ...delay, message });
  }
  return indicatorResult(key, 'up', { pid, uptimeS, ...delay });
}
