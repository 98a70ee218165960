/**
 * The decisions of a reconciliation run, as a pure function of what the adapters listed: which
 * clip files, audio objects, detections and logs to delete, which detections lost their clip,
 * and where a guard stops the run. No I/O here, so every rule is unit-tested on plain data.
 *
 * Guards: deletions are taken in a fixed order (stale audio objects, expired logs, orphan
 * clips, expired detections, expired clips) until the next one would exceed `maxDeletions` in
 * total or, for clip files, `maxClipShare` of the clips the store listed; the run then stops
 * deleting and `stoppedBy` names the guard. Clearing the clip path of detections whose file is
 * missing is a repair, not a deletion, but it is refused as a whole when more than
 * `maxClipShare` of the live clip references are missing: an empty or wrongly mounted clip
 * volume must not cost every detection its clip.
 */
import { type ReconcileRequest } from '@giggles/contracts';

export const DAY_MS = 86_400_000;
/**
 * A detection row is written before its clip file (results handler: database, then clip
 * storage): a row younger than this may simply not have its file yet.
 */
export const CLIP_WRITE_GRACE_MS = 15 * 60_000;

/** A detection row with a clip path (live or tombstone). */
export interface ClipReference {
  detectionId: string;
  clipPath: string;
  live: boolean;
  eventStartMs: number;
  createdAtMs: number;
}

export interface AudioObjectInfo {
  name: string;
  /** Last modification (epoch ms). */
  mtimeMs: number;
}

export interface ExpiredDetection {
  id: string;
  clipPath: string | null;
}

export interface ReconcileListings {
  /** Every file in the clip store (listed before the database is read). */
  clips: string[];
  /** Every detection row with a clip path. */
  references: ClipReference[];
  audioObjects: AudioObjectInfo[];
  /** Detections older than the detection retention, oldest first (at most maxDeletions + 1). */
  expiredDetections: ExpiredDetection[];
  /** Log rows older than the log retention (at most maxDeletions + 1). */
  expiredLogIds: string[];
}

export type ReconcileSettings = Omit<ReconcileRequest, 'dryRun'>;

export interface ReconcilePlan {
  staleAudio: string[];
  expiredLogIds: string[];
  orphanClips: string[];
  expiredDetections: ExpiredDetection[];
  /** Live detections whose clip outlived the clip retention: the file goes, the row stays. */
  expiredClips: ClipReference[];
  /** Live detections whose clip file does not exist: their clip path is cleared. */
  missingClips: ClipReference[];
  stoppedBy?: string;
}

/** The cut-off instants of the run (epoch ms); undefined = keep forever. */
export function cutoffs(settings: ReconcileSettings): {
  clips?: number;
  detections?: number;
  logs?: number;
  stuckJobs: number;
  staleAudio: number;
} {
  const { nowMs, retention } = settings;
  return {
    clips: retention.clipsDays === undefined ? undefined : nowMs - retention.clipsDays * DAY_MS,
    detections: retention.detectionsDays === undefined ? undefined : nowMs - retention.detectionsDays * DAY_MS,
    logs: retention.logsDays === undefined ? undefined : nowMs - retention.logsDays * DAY_MS,
    stuckJobs: nowMs - settings.stuckJobMinutes * 60_000,
    staleAudio: nowMs - settings.staleAudioMinutes * 60_000,
  };
}

/** Spends the deletion and clip budgets in order; the first item that does not fit stops the run. */
class Budget {
  stoppedBy: string | undefined;
  private deletions = 0;
  private clipDeletions = 0;

  constructor(
    private readonly maxDeletions: number,
    private readonly maxClips: number,
    private readonly clipsStored: number,
    private readonly maxClipShare: number,
  ) {}

  /** Takes one item costing `deletions` deletions of which `clips` are clip files. */
  take(deletions: number, clips: number): boolean {
    if (this.stoppedBy) return false;
    if (this.deletions + deletions > this.maxDeletions) {
      this.stoppedBy = `maxDeletions: more than ${this.maxDeletions} deletions were due; the rest waits for the next run`;
      return false;
    }
    if (this.clipDeletions + clips > this.maxClips) {
      this.stoppedBy =
        `maxClipShare: deleting more than ${this.maxClips} of ${this.clipsStored} clips ` +
        `(${Math.round(this.maxClipShare * 100)}%) in one run is refused`;
      return false;
    }
    this.deletions += deletions;
    this.clipDeletions += clips;
    return true;
  }
}

export function planReconciliation(listings: ReconcileListings, settings: ReconcileSettings): ReconcilePlan {
  const cut = cutoffs(settings);
  const stored = new Set(listings.clips);
  const referenced = new Set(listings.references.map((r) => r.clipPath));
  const live = listings.references.filter((r) => r.live);

  const orphans = listings.clips.filter((path) => !referenced.has(path));
  const stale = listings.audioObjects.filter((o) => o.mtimeMs < cut.staleAudio).map((o) => o.name);
  const expiring = new Set(listings.expiredDetections.map((d) => d.id));
  const clipsExpired =
    cut.clips === undefined
      ? []
      : live.filter((r) => r.eventStartMs < (cut.clips as number) && stored.has(r.clipPath) && !expiring.has(r.detectionId));

  const budget = new Budget(
    settings.maxDeletions,
    Math.floor(settings.maxClipShare * listings.clips.length),
    listings.clips.length,
    settings.maxClipShare,
  );
  const plan: ReconcilePlan = {
    staleAudio: stale.filter(() => budget.take(1, 0)),
    expiredLogIds: [],
    orphanClips: [],
    expiredDetections: [],
    expiredClips: [],
    missingClips: [],
  };
  plan.expiredLogIds = listings.expiredLogIds.filter(() => budget.take(1, 0));
  plan.orphanClips = orphans.filter(() => budget.take(1, 1));
  plan.expiredDetections = listings.expiredDetections.filter((d) => {
    const clip = d.clipPath !== null && stored.has(d.clipPath) ? 1 : 0;
    return budget.take(1 + clip, clip);
  });
  plan.expiredClips = clipsExpired.filter(() => budget.take(1, 1));

  const missing = live.filter((r) => !stored.has(r.clipPath) && r.createdAtMs < settings.nowMs - CLIP_WRITE_GRACE_MS);
  const missingAllowed = Math.floor(settings.maxClipShare * live.length);
  let stoppedBy = budget.stoppedBy;
  if (missing.length > missingAllowed) {
    stoppedBy ??=
      `maxClipShare: ${missing.length} of ${live.length} clip references point at missing files ` +
      `(more than ${Math.round(settings.maxClipShare * 100)}%; is the clip storage mounted?); none were cleared`;
  } else {
    plan.missingClips = missing;
  }
  return stoppedBy ? { ...plan, stoppedBy } : plan;
}
