import type { HealthIndicatorResult } from '@nestjs/terminus';

/** What `/health/ready` says, in the same shape (Terminus'): every indicator under `details`. */
export interface ReadinessReport {
  status: 'ok' | 'error';
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

/**
 * Runs readiness indicators and sorts their results the way Terminus does: up ones under `info`,
 * the rest under `error`, all under `details`; `ok` only when nothing is down. The indicators of
 * `HealthRegistry.indicators()` never throw (a throwing check becomes a `down` result).
 */
export async function evaluateReadiness(indicators: (() => Promise<HealthIndicatorResult>)[]): Promise<ReadinessReport> {
  const results = await Promise.all(indicators.map((indicator) => indicator()));
  const report: ReadinessReport = { status: 'ok', info: {}, error: {}, details: {} };
  for (const result of results) {
    for (const [key, value] of Object.entries(result)) {
      const entry = value as Record<string, unknown>;
      report.details[key] = entry;
      if (entry.status === 'up') report.info[key] = entry;
      else {
        report.error[key] = entry;
        report.status = 'error';
      }
    }
  }
  return report;
}
