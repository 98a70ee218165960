/**
 * Every NATS name Giggles puts on the wire: subjects, streams, durable consumers, buckets.
 *
 * WARNING: these are wire names. Once shipped they never change — a rename strands messages in
 * existing streams and breaks mixed-version deployments. Add new names; never rename old ones.
 */

/** JetStream streams (work that must not be lost). */
export const STREAMS = {
  /** Day jobs: one message per user-day to process. Work-queue retention. */
  dayJobs: { name: 'GIGGLES_DAY_JOBS', subjects: ['giggles.jobs.day'] },
  /** Segment events: one downloaded window of audio waiting for inference. Work-queue retention. */
  segments: { name: 'GIGGLES_SEGMENTS', subjects: ['giggles.segments.ready'] },
  /** Results for persistence: detection results, window outcomes, job progress. Work-queue retention. */
  results: { name: 'GIGGLES_RESULTS', subjects: ['giggles.results.>'] },
  /** Messages that exhausted their deliveries or failed validation, with the reason. Limits retention. */
  deadLetters: { name: 'GIGGLES_DEAD_LETTERS', subjects: ['giggles.dead.>'] },
} as const;

export const SUBJECTS = {
  dayJob: 'giggles.jobs.day',
  segmentReady: 'giggles.segments.ready',
  segmentResult: 'giggles.results.segment',
  windowOutcome: 'giggles.results.window',
  jobProgress: 'giggles.results.job',
  /** Prefix: the dead letter of a message published on subject S goes to `giggles.dead.S`. */
  deadLetterPrefix: 'giggles.dead.',
} as const;

/** Durable consumer names, one per consuming service. */
export const CONSUMERS = {
  ingestionDayJobs: 'ingestion-day-jobs',
  inferenceSegments: 'inference-segments',
  persistenceResults: 'persistence-results',
} as const;

/** JetStream object-store buckets. Audio is transient: objects expire by TTL if anything fails. */
export const BUCKETS = {
  /** Downloaded Ogg Opus windows, deleted once their result is stored. */
  audio: 'giggles-audio',
  /** Clip WAVs cut by inference, moved into clip storage by persistence. */
  clips: 'giggles-clips',
} as const;

/** Request/reply subjects answered by `persistence` (core NATS, not JetStream). */
export const QUERIES = {
  usersWithActiveKeys: 'giggles.query.users.active-keys',
  userKey: 'giggles.query.users.key',
  markKeyInvalid: 'giggles.query.users.key-invalid',
  windowsDone: 'giggles.query.windows.done',
  dueDays: 'giggles.query.days.due',
  userDays: 'giggles.query.days.list',
  dayDetections: 'giggles.query.detections.day',
  jobStatus: 'giggles.query.jobs.status',
  /** A user by e-mail (the operator CLI names users by e-mail). */
  userByEmail: 'giggles.query.users.by-email',
  /** Records a day job before the scheduler publishes it, so it is published once. */
  registerJob: 'giggles.query.jobs.register',
  /** Jobs registered (planned) but silent for too long: the scheduler publishes them again. */
  stalledJobs: 'giggles.query.jobs.stalled',
  /** The scheduler stops retrying a day's gaps; the day's log says when. */
  giveUpGaps: 'giggles.query.days.gaps-given-up',
  /** Reprocessing: removes a date range's detections, clips, windows and logs (tombstones stay). */
  clearDays: 'giggles.query.days.clear',
  /** Everything `giggles status` shows that lives in the database. */
  operationsStatus: 'giggles.query.ops.status',
  /** The daily reconciliation and data-lifecycle run (orphans, retention, stuck jobs). */
  reconcile: 'giggles.query.maintenance.reconcile',
  // The gateway's queries (types in user-queries.ts): one user's own data, never anyone else's.
  ensureUser: 'giggles.query.users.ensure',
  userProfile: 'giggles.query.users.profile',
  updateSettings: 'giggles.query.users.settings',
  saveKey: 'giggles.query.users.key-save',
  deleteKey: 'giggles.query.users.key-delete',
  deleteUserData: 'giggles.query.users.delete-all',
  daysPage: 'giggles.query.days.page',
  day: 'giggles.query.days.one',
  deleteDay: 'giggles.query.days.delete',
  dayLaughs: 'giggles.query.laughs.day',
  updateLaugh: 'giggles.query.laughs.update',
  deleteLaugh: 'giggles.query.laughs.delete',
  exportLaughs: 'giggles.query.laughs.export',
  readClip: 'giggles.query.clips.read',
  trends: 'giggles.query.trends',
  jobProgress: 'giggles.query.jobs.progress',
  // The audio archive (issue 10, "keep the audio"; types in archive-queries.ts).
  /** One user's archive switch, the deployment's archive mode and retention, and its size. */
  archiveSummary: 'giggles.query.archive.summary',
  /** Turns one user's archive on or off (files already kept stay until deleted or expired). */
  setArchive: 'giggles.query.archive.set',
  /** Every user's archive size, for `giggles status`. */
  archiveTotals: 'giggles.query.archive.totals',
  /** The archived windows of one user's local day (ingestion before downloading, the gateway's download). */
  archivedWindows: 'giggles.query.archive.windows',
  /** Streams one archived window back into BUCKETS.audio, as if ingestion had downloaded it. */
  restoreArchivedWindow: 'giggles.query.archive.restore',
  /** One chunk of one archived window's bytes (the gateway's day download). */
  readArchivedWindow: 'giggles.query.archive.read',
  // Recordings from any source (issue 10; types in import-queries.ts).
  /** Records an imported file (or its refusal) by sha256; a second import of the same file is a duplicate. */
  importBegin: 'giggles.query.imports.begin',
  /** One user's imports, newest first, with their state (processing, done with laughs per day, failed, refused). */
  importsList: 'giggles.query.imports.list',
} as const;

/**
 * Request/reply subjects answered by `scheduler` (core NATS): what the gateway and the operator
 * CLI ask for. Same envelope and validation as QUERIES.
 */
export const COMMANDS = {
  /** "Today so far": the user's current local day from its start to now. */
  processToday: 'giggles.command.process-today',
  /** One whole local day, now (operator: `giggles process`). */
  processDay: 'giggles.command.process-day',
  /** A bounded date range removed and processed again (`giggles reprocess`). */
  reprocess: 'giggles.command.reprocess',
  /** Jobs in flight, per-user last processed day, gaps, dead letters (`giggles status`). */
  status: 'giggles.command.status',
} as const;

/**
 * Core NATS request/reply: each service answers its readiness (the indicators of its
 * `/health/ready`) on its subject; the gateway's `/api/health` asks all of them (`@giggles/health`).
 */
export const HEALTH_SUBJECTS = {
  ingestion: 'giggles.health.ingestion',
  inference: 'giggles.health.inference',
  persistence: 'giggles.health.persistence',
  scheduler: 'giggles.health.scheduler',
  gateway: 'giggles.health.gateway',
} as const;
