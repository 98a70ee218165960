import type { DayJob, DeadLetter, JobProgress, SegmentReady, SegmentResult, WindowOutcome } from './payloads';
import { parseWithDto } from './validation/parse-dto';
import {
  DayJobDto,
  DeadLetterDto,
  JobProgressDto,
  SegmentReadyDto,
  SegmentResultDto,
  WindowOutcomeDto,
} from './validation/payload-dtos';

/**
 * One parser per JetStream payload: takes parsed JSON, returns it typed or throws a
 * `ContractViolation` naming every bad field.
 */

export const parseDayJob = (json: unknown): DayJob => parseWithDto<DayJob>(DayJobDto, 'DayJob', json);

export const parseSegmentReady = (json: unknown): SegmentReady =>
  parseWithDto<SegmentReady>(SegmentReadyDto, 'SegmentReady', json);

export const parseSegmentResult = (json: unknown): SegmentResult =>
  parseWithDto<SegmentResult>(SegmentResultDto, 'SegmentResult', json);

export const parseWindowOutcome = (json: unknown): WindowOutcome =>
  parseWithDto<WindowOutcome>(WindowOutcomeDto, 'WindowOutcome', json);

export const parseJobProgress = (json: unknown): JobProgress =>
  parseWithDto<JobProgress>(JobProgressDto, 'JobProgress', json);

export const parseDeadLetter = (json: unknown): DeadLetter =>
  parseWithDto<DeadLetter>(DeadLetterDto, 'DeadLetter', json);
