import { Inject, Injectable } from '@nestjs/common';
import { DAY_LAUGHS_PAGE, DAYS_PAGE, QUERIES, type DaySummary, type Laugh } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { AccountDeletionService } from '../laughter/account-deletion.service';
import { JobsService } from '../laughter/jobs.service';
import { LAUGHTER_SETTINGS, type LaughterConfig } from '../laughter/laughter-config';
import { LaughsService } from '../laughter/laughs.service';
import {
  isCountedLaugh,
  toLegacyDailySummary,
  toLegacyDetection,
  toLegacyJob,
  type LegacyDailySummary,
  type LegacyJob,
  type LegacyLaughterDetection,
} from './legacy-data.mappers';

/**
 * The original app's data routes on top of today's queries. Unlike the original: days are the
 * user's local days (not UTC), a single delete works, "delete my data" touches only the caller's
 * rows and files, and clip paths are URLs.
 */
@Injectable()
export class LegacyDataService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(LaughsService) private readonly laughs: LaughsService,
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(AccountDeletionService) private readonly deletion: AccountDeletionService,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  /** Every day with laughs, newest first (the original had no paging; bounded by GATEWAY_LEGACY_SUMMARY_MAX_DAYS). */
  async dailySummary(userId: string): Promise<LegacyDailySummary[]> {
    const days: DaySummary[] = [];
    let before: string | undefined;
    while (days.length < this.settings.legacyMaxDays) {
      const limit = Math.min(DAYS_PAGE.max, this.settings.legacyMaxDays - days.length);
      const page = await this.queries.ask(QUERIES.daysPage, { userId, limit, ...(before ? { before } : {}) });
      days.push(...page.days);
      if (!page.nextBefore || page.days.length === 0) break;
      before = page.nextBefore;
    }
    return days.filter((day) => day.laughCount > 0).map(toLegacyDailySummary);
  }

  /** The day's laughs in time order (a day with nothing is an empty list, as in the original). */
  async detections(userId: string, localDate: string): Promise<LegacyLaughterDetection[]> {
    const found: Laugh[] = [];
    for (let offset = 0; ; offset += DAY_LAUGHS_PAGE.max) {
      const page = await this.queries.ask(QUERIES.dayLaughs, { userId, localDate, offset, limit: DAY_LAUGHS_PAGE.max });
      found.push(...page.laughs);
      if (page.laughs.length < DAY_LAUGHS_PAGE.max || offset + page.laughs.length >= page.total) break;
    }
    return found.filter(isCountedLaugh).map(toLegacyDetection);
  }

  async updateNotes(userId: string, laughId: string, notes: string | null | undefined): Promise<void> {
    await this.laughs.update(userId, laughId, { notes: notes ?? null });
  }

  async deleteDetection(userId: string, laughId: string): Promise<void> {
    await this.laughs.delete(userId, laughId);
  }

  async processToday(userId: string): Promise<LegacyJob> {
    const { job } = await this.jobs.today(userId);
    return toLegacyJob(job);
  }

  async reprocess(userId: string, from: string, to: string): Promise<LegacyJob[]> {
    const { jobs } = await this.jobs.reprocess(userId, from, to);
    return jobs.map(toLegacyJob);
  }

  async deleteEverything(userId: string): Promise<void> {
    await this.deletion.deleteEverything(userId);
  }
}
