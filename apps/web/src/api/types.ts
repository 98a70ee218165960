/**
 * The HTTP API's shapes (docs/api.md). Types only — they mirror `@giggles/contracts`' user queries,
 * which the gateway passes through; nothing of the services' runtime code reaches the page.
 */
import type {
  CoverageWindow,
  DaySummary,
  Laugh,
  LimitlessKeyStatus,
  TrendDay,
  TrendsReply,
} from '@giggles/contracts';

export type { CoverageWindow, DaySummary, Laugh, TrendDay, TrendsReply };
export type KeyStatus = LimitlessKeyStatus;

export interface Me {
  id: string;
  email: string;
  timezone: string;
  createdAt: string;
  key: KeyStatus;
}

export interface DaysPage {
  timezone: string;
  days: DaySummary[];
  nextBefore?: string;
}

export interface DayDetail {
  timezone: string;
  summary: DaySummary;
  windows: CoverageWindow[];
  hours?: { hour: number; audioSeconds: number }[];
}

export interface LaughView extends Laugh {
  localTime: string;
  clipUrl: string | null;
  notLaugh: boolean;
}

export interface DayLaughs {
  localDate: string;
  timezone: string;
  total: number;
  laughs: LaughView[];
}

export type JobStatus = 'planned' | 'running' | 'done' | 'key_invalid' | 'failed';

export interface JobRef {
  jobId: string;
  localDate: string;
  state: JobStatus | string;
}

export interface JobProgress {
  jobId: string;
  status: JobStatus;
  windowsPlanned: number;
  windowsDone: number;
  laughsFound: number;
}

export type TrendRange = 30 | 90 | 365;
export type ExportFormat = 'json' | 'csv';
