import type {
  ActiveKeyUser,
  ApiOutage,
  ApiOutageSetRequest,
  BackfillGiveUpRequest,
  BackfillPlanReply,
  BackfillProgress,
  BackfillSetStateRequest,
  BackfillStartRequest,
  FirstAudioReply,
  FirstAudioRequest,
  ProbeReply,
  ClearDaysReply,
  DiscardJobRequest,
  ClearDaysRequest,
  DayJob,
  DeadLetterSummary,
  DueDaysReply,
  DueDaysRequest,
  GiveUpGapsRequest,
  OperationsStatusReply,
  ReconcileReply,
  ReconcileRequest,
  RegisterJobReply,
  RegisterJobRequest,
  StalledJob,
  UserByEmailReply,
} from '@giggles/contracts';

/**
 * What the services need from the outside world. Adapters implement these over NATS; unit tests
 * implement them in memory (`test/fakes.ts`). Query failures throw (`QueryError` from the
 * adapters: `not_found`, `conflict`, `timeout`, …).
 */

export interface PersistenceQueries {
  usersWithActiveKeys(): Promise<ActiveKeyUser[]>;
  /** The user, when they have an active key. */
  activeKeyUser(userId: string): Promise<ActiveKeyUser | undefined>;
  /** Throws `QueryError` `not_found` when nobody has that e-mail. */
  userByEmail(email: string): Promise<UserByEmailReply>;
  dueDays(request: DueDaysRequest): Promise<DueDaysReply>;
  registerJob(request: RegisterJobRequest): Promise<RegisterJobReply>;
  stalledJobs(olderThanMs: number, limit: number): Promise<StalledJob[]>;
  giveUpGaps(request: GiveUpGapsRequest): Promise<boolean>;
  /** Removes a registration that never started; false when there is none or it started. */
  discardJob(request: DiscardJobRequest): Promise<boolean>;
  /** Throws `QueryError` `conflict` when a job of one of the days is planned or running. */
  clearDays(request: ClearDaysRequest): Promise<ClearDaysReply>;
  /** Everyone, or only `userId`'s jobs and row. */
  operationsStatus(userId?: string): Promise<OperationsStatusReply>;
  reconcile(request: ReconcileRequest): Promise<ReconcileReply>;
}

/** Backfill rows and Limitless outages (persistence), first audio and probes (ingestion). */
export interface HistoryQueries {
  startBackfill(request: BackfillStartRequest): Promise<BackfillProgress>;
  backfillPlan(limitPerUser: number): Promise<BackfillPlanReply>;
  /** Throws `QueryError` `not_found` when the user has no backfill. */
  setBackfillState(request: BackfillSetStateRequest): Promise<BackfillProgress>;
  backfillProgress(userId?: string): Promise<BackfillProgress[]>;
  apiOutages(): Promise<ApiOutage[]>;
  setApiOutage(request: ApiOutageSetRequest): Promise<ApiOutage>;
  /** The backfill stops retrying a day; false when it already had. */
  giveUpBackfillDay(request: BackfillGiveUpRequest): Promise<boolean>;
  /** Ingestion searches the Limitless API; can take a minute or more. */
  firstAudio(request: FirstAudioRequest): Promise<FirstAudioReply>;
  /** `timeoutMs`: how long to wait for ingestion's answer (default: the first-audio timeout). */
  probe(userId: string, timeoutMs?: number): Promise<ProbeReply>;
}

export interface JobPublisher {
  /**
   * Publishes to GIGGLES_DAY_JOBS with `jobId` as the message id and waits for the stream's ack;
   * `duplicate` when the stream already held that id in its duplicate window (nothing was added).
   */
  publish(job: DayJob): Promise<{ duplicate: boolean }>;
}

export interface DeadLetterReader {
  /** How many dead letters the stream holds and the newest `limit` of them, newest first. */
  summary(limit: number): Promise<{ count: number; recent: DeadLetterSummary[] }>;
}
