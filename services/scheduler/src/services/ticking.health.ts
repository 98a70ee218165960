import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry, type ReadinessCheck } from '@giggles/health';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import { CLOCK, SCHEDULER_SETTINGS } from '../tokens';
import { SchedulerState } from './scheduler-state';

/** Readiness fails when no tick succeeded for this many tick intervals. */
export const MISSED_TICKS_LIMIT = 3;

/**
 * `scheduler` readiness: the last successful tick is at most 3 tick intervals old (counted from
 * boot before the first one). A scheduler whose ticks keep failing — persistence unreachable,
 * NATS gone — is not doing its job even though the process is alive.
 */
@Injectable()
export class TickingHealth implements OnModuleInit {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(SchedulerState) private readonly state: SchedulerState,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
  ) {}

  onModuleInit(): void {
    this.state.startedAtMs ??= this.clock.now();
    this.health.add('scheduler', () => this.check());
  }

  check(): Awaited<ReturnType<ReadinessCheck>> {
    const limitMs = MISSED_TICKS_LIMIT * this.config.tickIntervalMs;
    const since = this.state.lastTickAtMs ?? this.state.startedAtMs ?? this.clock.now();
    const ageMs = this.clock.now() - since;
    const lastTickAt = this.state.lastTickAtMs === undefined ? null : new Date(this.state.lastTickAtMs).toISOString();
    const up = ageMs <= limitMs;
    // the gateway's /api/health shows the age of both (it reads them from this check's details)
    const lastReconcileAt = this.state.lastReconcileAtMs === undefined ? null : new Date(this.state.lastReconcileAtMs).toISOString();
    return {
      scheduler: {
        status: up ? 'up' : 'down',
        lastTickAt,
        lastReconcileAt,
        ...(up ? {} : { message: `no successful tick for ${Math.round(ageMs / 1000)} s (limit ${Math.round(limitMs / 1000)} s)` }),
      },
    } as Awaited<ReturnType<ReadinessCheck>>;
  }
}
