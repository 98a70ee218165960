import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { HISTORY_COMMANDS, QUERIES } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { NO_KEY_MESSAGE } from '../laughter/jobs.service';
import { toBackfillView, toLimitlessStatus, type BackfillView, type LimitlessStatusView } from './backfill-view';
import { HISTORY_SETTINGS, type HistoryConfig } from './history-config';

export interface BackfillStatus {
  /** null until the user started one. */
  backfill: BackfillView | null;
  limitless: LimitlessStatusView;
}

export const NO_BACKFILL_MESSAGE = 'No history backfill started yet — start one first';
export const NO_AUDIO_MESSAGE = 'Limitless has no recordings for you in that range — choose a start date to process anyway';

/**
 * "Process my whole history" through the scheduler's HISTORY_COMMANDS, always for the signed-in
 * user (the id comes from the session). The scheduler answers `not_found` both for "no usable
 * key" and "no audio found"; the key is checked first so each gets its own answer.
 */
@Injectable()
export class BackfillService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(HISTORY_SETTINGS) private readonly settings: HistoryConfig,
  ) {}

  async start(userId: string, range: { from?: string; to?: string }): Promise<{ backfill: BackfillView }> {
    await this.requireActiveKey(userId);
    try {
      const { backfill } = await this.queries.ask(HISTORY_COMMANDS.backfill, { userId, ...range }, { timeoutMs: this.settings.backfillStartTimeoutMs });
      return { backfill: toBackfillView(backfill) };
    } catch (error) {
      if (error instanceof NotFoundException) throw new NotFoundException(NO_AUDIO_MESSAGE);
      throw error;
    }
  }

  async status(userId: string): Promise<BackfillStatus> {
    const reply = await this.queries.ask(HISTORY_COMMANDS.backfillStatus, { userId });
    const mine = reply.backfills.find((b) => b.userId === userId);
    return { backfill: mine ? toBackfillView(mine) : null, limitless: toLimitlessStatus(reply.outages.find((o) => o.userId === userId)) };
  }

  pause(userId: string): Promise<{ backfill: BackfillView }> {
    return this.setState(userId, 'pause');
  }

  resume(userId: string): Promise<{ backfill: BackfillView }> {
    return this.setState(userId, 'resume');
  }

  private async setState(userId: string, change: 'pause' | 'resume'): Promise<{ backfill: BackfillView }> {
    if ((await this.status(userId)).backfill === null) throw new NotFoundException(NO_BACKFILL_MESSAGE);
    await this.requireActiveKey(userId);
    const subject = change === 'pause' ? HISTORY_COMMANDS.backfillPause : HISTORY_COMMANDS.backfillResume;
    const { backfill } = await this.queries.ask(subject, { userId });
    return { backfill: toBackfillView(backfill) };
  }

  /** Processing needs a key Limitless accepted: a state to fix in Settings (409), not a missing resource. */
  private async requireActiveKey(userId: string): Promise<void> {
    const profile = await this.queries.ask(QUERIES.userProfile, { userId });
    if (profile.key.state !== 'active') throw new ConflictException(NO_KEY_MESSAGE);
  }
}
