import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DayJob, ErrorInfo, JobProgress, LimitlessCall } from '@giggles/contracts';
import { type PipelineProgress } from '@giggles/health';
import { TransientError } from '@giggles/messaging';
import type { IngestionConfig } from '../config/ingestion-config';
import type { Clock } from '../domain/token-bucket';
import { isProvisional, planWindows, settledIntervals, type SettledPolicy, subtractIntervals, type TimeWindow } from '../domain/window-planner';
import type { IngestionLogger } from '../logging/logger';
import { AUDIO_STORE, CLOCK, INGESTION_SETTINGS, JOB_PLANS, LOGGER, PERSISTENCE, PIPELINE_PROGRESS, PIPELINE_PUBLISHER } from '../tokens';
import { ApiKeyService } from './api-key.service';
import { IngestionMetrics } from './ingestion-metrics';
import type { AudioStore, JobPlanStore, PersistenceQueries, PipelinePublisher, StoredPlan } from './ports';
import { API_UNREACHABLE, WindowDownloadService, type WindowResult } from './window-download.service';

/** Lets the service keep JetStream's ack timer alive during a long job. */
export interface JobContext {
  working(): void;
  deliveryCount: number;
}

export type JobOutcome = { status: 'done'; planned: number; skipped: number; downloaded: number } | { status: 'key_invalid' };

/** Thrown when shutdown interrupts a job; the consumer naks it so another instance takes over. */
export class ShutdownInterruption extends TransientError {}

/** Archived windows are used only when they are exactly the planned window. */
function archiveKey(window: TimeWindow): string {
  return `${window.startMs}-${window.endMs}`;
}

/** What the user's audio archive knows of a day, by archiveKey. */
interface ArchiveIndex {
  /** Windows kept with their audio: restored, not downloaded. */
  audio: Set<string>;
  /**
   * Windows Limitless answered 404 for (empty markers) late enough to trust — at least
   * INGESTION_LATE_UPLOAD_MINUTES after the window's end, like a 'today' run's settled windows:
   * recorded empty, not downloaded. An earlier 404 may still be followed by a late upload.
   */
  empty: Set<string>;
}

/** The audio object of one window of one job (a reprocess run gets its own object). */
export function audioObjectName(job: Pick<DayJob, 'userId' | 'jobId'>, window: TimeWindow): string {
  const jobHash = createHash('sha256').update(job.jobId).digest('hex').slice(0, 16);
  return `${job.userId}/${window.startMs}-${window.endMs}/${jobHash}.ogg`;
}

/**
 * One day job: plan windows (≤ 2 h) over the range, skip what earlier runs settled, report the
 * plan, then download window after window and publish a SegmentReady or WindowOutcome for each —
 * every publish acknowledged by JetStream before the next window, so the job's ack means "all
 * windows are durable". A 401 stops the job: the key is marked invalid and the user is told.
 */
@Injectable()
export class DayJobService {
  private readonly stopWaiting = new AbortController();
  private readonly abortIo = new AbortController();
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(PIPELINE_PUBLISHER) private readonly publisher: PipelinePublisher,
    @Inject(AUDIO_STORE) private readonly store: AudioStore,
    @Inject(JOB_PLANS) private readonly plans: JobPlanStore,
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(WindowDownloadService) private readonly downloader: WindowDownloadService,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
    @Inject(IngestionMetrics) private readonly metrics: IngestionMetrics,
  ) {}

  async run(job: DayJob, ctx: JobContext): Promise<JobOutcome> {
    const log = this.logger.child({ jobId: job.jobId, userId: job.userId, localDate: job.localDate, delivery: ctx.deliveryCount });
    this.checkNotStopping();
    const { plan, toDownload } = await this.plan(job);
    await this.publisher.jobProgress(this.progressMessage(job, 'planned', plan.planned, plan.skipped));
    if (ctx.deliveryCount === 1) this.metrics.windows.inc({ outcome: 'skipped' }, plan.skipped);
    log.info({ planned: plan.planned, skipped: plan.skipped, toDownload: toDownload.length }, 'day job planned');
    if (toDownload.length === 0) return { status: 'done', planned: plan.planned, skipped: plan.skipped, downloaded: 0 };

    // Windows the user's audio archive holds are restored from it, not downloaded, and windows it
    // remembers as empty (404) are recorded empty again: only the others need the key (a
    // reprocess of archived days asks Limitless nothing).
    const archived = await this.archivedWindows(job, log);
    const known = (w: TimeWindow): boolean => archived.audio.has(archiveKey(w)) || archived.empty.has(archiveKey(w));
    let key: Awaited<ReturnType<ApiKeyService['keyFor']>> | undefined;
    const activeKey = async (): Promise<string | undefined> => {
      key ??= await this.keys.keyFor(job.userId);
      if (key.status === 'active') return key.apiKey;
      await this.reportKeyInvalid(job, plan, { code: 'key_invalid', message: 'the stored Limitless API key is marked invalid; add a new key to resume' });
      log.warn('key already marked invalid: job stopped');
      return undefined;
    };
    if (toDownload.some((w) => !known(w)) && (await activeKey()) === undefined) return { status: 'key_invalid' };

    let downloaded = 0;
    let unreachable: ErrorInfo | undefined;
    for (const window of toDownload) {
      this.checkNotStopping();
      const inArchive = archived.audio.has(archiveKey(window));
      if (!inArchive && archived.empty.has(archiveKey(window))) {
        // Limitless answered 404 for this window when it was archived: the same outcome as that
        // 404 (a done window without audio), without a request — also when the API is gone.
        await this.publishOutcome(job, window, { kind: 'outcome', status: 'empty', calls: [] });
        this.metrics.windows.inc({ outcome: 'empty' });
        log.info({ windowStartMs: window.startMs, windowEndMs: window.endMs }, 'window recorded empty from the audio archive (Limitless had no audio for it)');
        this.progress.markProgress();
        ctx.working();
        continue;
      }
      // An archived window needs no request: it is restored even when Limitless is unreachable
      // (issue 10: reprocessing from the archive works with the API gone).
      if (unreachable && !inArchive) {
        // The API did not answer at all for a whole window's attempts: the rest of the job would
        // only repeat that (LIMITLESS_MAX_ATTEMPTS requests and their backoff per window). Its
        // windows become the same gap without a request; a later run retries them.
        await this.publishOutcome(job, window, { kind: 'outcome', status: 'gap', error: unreachable, calls: [] });
        this.metrics.windows.inc({ outcome: 'gap' });
        continue;
      }
      const objectName = audioObjectName(job, window);
      const existing = await this.store.find(objectName);
      const restored = !existing && inArchive ? await this.restore(job, window, objectName, log) : undefined;
      let result: WindowResult;
      if (existing?.published) {
        log.info({ windowStartMs: window.startMs }, 'window already published by an earlier delivery');
        result = { kind: 'audio', bytes: existing.size, calls: [] };
      } else if (existing) {
        result = { kind: 'audio', bytes: existing.size, calls: [] };
        await this.publishSegment(job, window, objectName, result.bytes, result.calls);
      } else if (restored) {
        result = restored;
        await this.publishSegment(job, window, objectName, result.bytes, result.calls);
      } else if (unreachable) {
        // Archived, but the restore failed: the same gap as the other windows, without a request.
        await this.publishOutcome(job, window, { kind: 'outcome', status: 'gap', error: unreachable, calls: [] });
        this.metrics.windows.inc({ outcome: 'gap' });
        continue;
      } else {
        const apiKey = await activeKey();
        if (apiKey === undefined) return { status: 'key_invalid' };
        result = await this.downloader.download({
          apiKey,
          window,
          objectName,
          metadata: { userId: job.userId, jobId: job.jobId, windowStartMs: String(window.startMs), windowEndMs: String(window.endMs) },
          waitSignal: this.stopWaiting.signal,
          ioSignal: this.abortIo.signal,
        });
        if (result.kind === 'key-invalid') {
          await this.persistence.markKeyInvalid(job.userId, `Limitless rejected the key: ${result.message}`.slice(0, 1000));
          await this.reportKeyInvalid(job, plan, { code: 'key_invalid', message: `Limitless rejected the API key (${result.message})` });
          this.metrics.windows.inc({ outcome: 'key_invalid' });
          log.warn({ windowStartMs: window.startMs }, 'Limitless rejected the key: marked invalid, job stopped');
          return { status: 'key_invalid' };
        }
        if (result.kind === 'audio') await this.publishSegment(job, window, objectName, result.bytes, result.calls);
        else await this.publishOutcome(job, window, result);
        if (result.kind === 'outcome' && result.error?.code === API_UNREACHABLE) {
          unreachable = { code: API_UNREACHABLE, message: `not requested: Limitless was unreachable for an earlier window of this job (${result.error.message})`.slice(0, 2_000) };
        }
      }
      downloaded += result.kind === 'audio' ? 1 : 0;
      this.metrics.windows.inc({ outcome: result.kind === 'audio' ? 'segment' : result.status });
      if (result.kind === 'outcome') {
        const level = result.status === 'empty' ? 'info' : 'warn';
        log[level]({ windowStartMs: window.startMs, windowEndMs: window.endMs, status: result.status, error: result.error }, 'window outcome');
      }
      this.progress.markProgress();
      ctx.working();
    }
    log.info({ planned: plan.planned, skipped: plan.skipped, downloaded }, 'day job done');
    return { status: 'done', planned: plan.planned, skipped: plan.skipped, downloaded };
  }

  /**
   * The plan of this job: made on the first delivery (windows ≤ INGESTION_WINDOW_MINUTES over the
   * range, minus what earlier runs settled) and stored, then reused by every redelivery so the
   * reported counts never change. A redelivery still leaves out windows settled meanwhile (by its
   * own earlier delivery) — without counting them as skipped.
   */
  private async plan(job: DayJob): Promise<{ plan: StoredPlan; toDownload: TimeWindow[] }> {
    const reprocess = job.trigger === 'reprocess';
    const stored = await this.plans.get(job.jobId);
    const done = reprocess ? [] : await this.persistence.windowsDone(job.userId, job.startMs, job.endMs);
    const policy: SettledPolicy = { jobTrigger: job.trigger, lateUploadMs: this.config.lateUploadMinutes * 60_000 };
    if (stored) {
      const settled = settledIntervals(done, policy);
      return { plan: stored, toDownload: stored.windows.filter((w) => subtractIntervals(w, settled).length > 0) };
    }
    const fresh = planWindows({
      startMs: job.startMs,
      endMs: job.endMs,
      windowMs: this.config.windowMinutes * 60_000,
      done,
      policy,
      ignoreDone: reprocess,
      notAfterMs: this.clock.now(),
    });
    const provisional = done.filter((w) => isProvisional(w, policy)).length;
    if (provisional > 0) this.logger.info({ jobId: job.jobId, provisional }, "windows recorded early by a 'today' run are downloaded again (late uploads)");
    const plan: StoredPlan = { planned: fresh.planned, skipped: fresh.skipped, windows: fresh.toDownload };
    await this.plans.put(job.jobId, plan);
    return { plan, toDownload: plan.windows };
  }

  /**
   * The archived windows of the job's day (with audio, and empty markers), by start and end. A
   * failed lookup is not the job's failure: the windows are downloaded from Limitless as before
   * (logged).
   */
  private async archivedWindows(job: DayJob, log: IngestionLogger): Promise<ArchiveIndex> {
    const keyOf = (w: { windowStartMs: number; windowEndMs: number }): string => archiveKey({ startMs: w.windowStartMs, endMs: w.windowEndMs });
    try {
      const reply = await this.persistence.archivedWindows(job.userId, job.localDate);
      const lateUploadMs = this.config.lateUploadMinutes * 60_000;
      const markers = reply.emptyWindows ?? [];
      const trusted = markers.filter((w) => w.emptyAtMs >= w.windowEndMs + lateUploadMs);
      if (trusted.length < markers.length) log.info({ markers: markers.length, early: markers.length - trusted.length }, 'empty windows seen too soon after their end are asked again (late uploads)');
      return { audio: new Set(reply.windows.map(keyOf)), empty: new Set(trusted.map(keyOf)) };
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not ask for archived windows; downloading from Limitless');
      return { audio: new Set(), empty: new Set() };
    }
  }

  /** The window restored from the archive into the audio bucket, or undefined to download it instead. */
  private async restore(job: DayJob, window: TimeWindow, objectName: string, log: IngestionLogger): Promise<Extract<WindowResult, { kind: 'audio' }> | undefined> {
    try {
      const bytes = await this.persistence.restoreArchivedWindow(job.userId, window.startMs, objectName);
      if (bytes === undefined) return undefined;
      log.info({ windowStartMs: window.startMs, bytes }, 'window restored from the audio archive');
      return { kind: 'audio', bytes, calls: [] };
    } catch (error) {
      log.warn({ windowStartMs: window.startMs, err: error instanceof Error ? error.message : String(error) }, 'could not restore an archived window; downloading it from Limitless');
      return undefined;
    }
  }

  /** The job's user sees why it failed: a JobProgress 'failed' (sent when a job is dead-lettered). */
  async reportFailed(job: DayJob, reason: string): Promise<void> {
    const plan = await this.plans.get(job.jobId).catch(() => undefined);
    const error = { code: 'job_failed', message: reason.slice(0, 2_000) };
    await this.publisher.jobProgress(this.progressMessage(job, 'failed', plan?.planned ?? 0, plan?.skipped ?? 0, error));
  }

  /**
   * SIGTERM: no new windows, no more waiting (backoff, rate limit); the window being downloaded
   * may finish within `graceMs`, after which its I/O is aborted. Either way the job is naked.
   */
  beginShutdown(graceMs: number = this.config.shutdownGraceMs): void {
    if (this.stopWaiting.signal.aborted) return;
    this.stopWaiting.abort(new ShutdownInterruption('shutting down: job handed back for another instance'));
    this.graceTimer = setTimeout(() => this.abortIo.abort(new ShutdownInterruption('shutting down: window download abandoned after the grace period')), graceMs);
    this.graceTimer.unref();
  }

  endShutdown(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
  }

  private checkNotStopping(): void {
    if (this.stopWaiting.signal.aborted) throw new ShutdownInterruption('shutting down: job handed back before its next window');
  }

  private async publishSegment(job: DayJob, window: TimeWindow, objectName: string, bytes: number, calls: LimitlessCall[]): Promise<void> {
    await this.publisher.segmentReady({
      jobId: job.jobId,
      userId: job.userId,
      localDate: job.localDate,
      timezone: job.timezone,
      trigger: job.trigger,
      windowStartMs: window.startMs,
      windowEndMs: window.endMs,
      audioObject: objectName,
      audioBytes: bytes,
      limitlessCalls: calls,
    });
    try {
      await this.store.markPublished(objectName);
    } catch (error) {
      // Only an optimisation for redeliveries (the message id already de-duplicates): never fail the job for it.
      this.logger.debug({ objectName, err: error }, 'could not mark audio object as published');
    }
  }

  private async publishOutcome(job: DayJob, window: TimeWindow, result: Extract<WindowResult, { kind: 'outcome' }>): Promise<void> {
    await this.publisher.windowOutcome({
      jobId: job.jobId,
      userId: job.userId,
      localDate: job.localDate,
      trigger: job.trigger,
      windowStartMs: window.startMs,
      windowEndMs: window.endMs,
      status: result.status,
      limitlessCalls: result.calls,
      ...(result.error ? { error: result.error } : {}),
    });
  }

  private async reportKeyInvalid(job: DayJob, plan: StoredPlan, error: ErrorInfo): Promise<void> {
    await this.publisher.jobProgress(this.progressMessage(job, 'key_invalid', plan.planned, plan.skipped, error));
  }

  private progressMessage(job: DayJob, status: JobProgress['status'], planned: number, skipped: number, error?: ErrorInfo): JobProgress {
    return {
      jobId: job.jobId,
      userId: job.userId,
      localDate: job.localDate,
      timezone: job.timezone,
      trigger: job.trigger,
      status,
      windowsPlanned: planned,
      windowsSkipped: skipped,
      at: new Date(this.clock.now()).toISOString(),
      ...(error ? { error } : {}),
    };
  }
}
