/** The archive routes' shapes (docs/api.md, "Keeping the audio"). Types only. */
import type { ArchiveSummaryReply } from '@giggles/contracts';

export type ArchiveSummary = ArchiveSummaryReply;

export interface DayArchive {
  localDate: string;
  windows: number;
  bytes: number;
}
