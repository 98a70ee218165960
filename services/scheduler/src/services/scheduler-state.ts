import { Injectable } from '@nestjs/common';

/** What this process remembers about its own periodic work: the status command and readiness read it. */
@Injectable()
export class SchedulerState {
  /** When this process started (epoch ms, injected clock): readiness measures from here before the first tick. */
  startedAtMs: number | undefined;
  lastTickAtMs: number | undefined;
  lastReconcileAtMs: number | undefined;
  lastReconcileSummary: string | undefined;
}
