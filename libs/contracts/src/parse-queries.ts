import { ContractViolation } from './contract-violation';
import type {
  DayDetectionsReply,
  DayDetectionsRequest,
  DueDaysReply,
  DueDaysRequest,
  JobStatusReply,
  JobStatusRequest,
  MarkKeyInvalidReply,
  MarkKeyInvalidRequest,
  QueryReply,
  UserDaysReply,
  UserDaysRequest,
  UserKeyReply,
  UserKeyRequest,
  UsersWithActiveKeysReply,
  UsersWithActiveKeysRequest,
  WindowsDoneReply,
  WindowsDoneRequest,
} from './queries';
import { parseEmptyObject, parseWithDto } from './validation/parse-dto';
import * as dto from './validation/query-dtos';

/** One parser per query request and reply body, same behaviour as the payload parsers. */

export const parseUsersWithActiveKeysRequest = (json: unknown): UsersWithActiveKeysRequest =>
  parseEmptyObject('UsersWithActiveKeysRequest', json);
export const parseUsersWithActiveKeysReply = (json: unknown): UsersWithActiveKeysReply =>
  parseWithDto(dto.UsersWithActiveKeysReplyDto, 'UsersWithActiveKeysReply', json);

export const parseUserKeyRequest = (json: unknown): UserKeyRequest =>
  parseWithDto(dto.UserKeyRequestDto, 'UserKeyRequest', json);
export const parseUserKeyReply = (json: unknown): UserKeyReply => parseWithDto(dto.UserKeyReplyDto, 'UserKeyReply', json);

export const parseMarkKeyInvalidRequest = (json: unknown): MarkKeyInvalidRequest =>
  parseWithDto(dto.MarkKeyInvalidRequestDto, 'MarkKeyInvalidRequest', json);
export const parseMarkKeyInvalidReply = (json: unknown): MarkKeyInvalidReply =>
  parseWithDto(dto.MarkKeyInvalidReplyDto, 'MarkKeyInvalidReply', json);

export const parseWindowsDoneRequest = (json: unknown): WindowsDoneRequest =>
  parseWithDto(dto.WindowsDoneRequestDto, 'WindowsDoneRequest', json);
export const parseWindowsDoneReply = (json: unknown): WindowsDoneReply =>
  parseWithDto(dto.WindowsDoneReplyDto, 'WindowsDoneReply', json);

export const parseDueDaysRequest = (json: unknown): DueDaysRequest =>
  parseWithDto(dto.DueDaysRequestDto, 'DueDaysRequest', json);
export const parseDueDaysReply = (json: unknown): DueDaysReply => parseWithDto(dto.DueDaysReplyDto, 'DueDaysReply', json);

export const parseUserDaysRequest = (json: unknown): UserDaysRequest =>
  parseWithDto(dto.UserDaysRequestDto, 'UserDaysRequest', json);
export const parseUserDaysReply = (json: unknown): UserDaysReply =>
  parseWithDto(dto.UserDaysReplyDto, 'UserDaysReply', json);

export const parseDayDetectionsRequest = (json: unknown): DayDetectionsRequest =>
  parseWithDto(dto.DayDetectionsRequestDto, 'DayDetectionsRequest', json);
export const parseDayDetectionsReply = (json: unknown): DayDetectionsReply =>
  parseWithDto(dto.DayDetectionsReplyDto, 'DayDetectionsReply', json);

export const parseJobStatusRequest = (json: unknown): JobStatusRequest =>
  parseWithDto(dto.JobStatusRequestDto, 'JobStatusRequest', json);
export const parseJobStatusReply = (json: unknown): JobStatusReply =>
  parseWithDto(dto.JobStatusReplyDto, 'JobStatusReply', json);

/**
 * Checks a reply envelope: `{ok: true, data}` with `data` passing `parseData`, or
 * `{ok: false, error: {code, message}}`. Problems inside `data` are reported as `data.<field>`.
 */
export function parseQueryReply<T>(parseData: (json: unknown) => T, json: unknown, contract = 'QueryReply'): QueryReply<T> {
  const ok = typeof json === 'object' && json !== null ? (json as { ok?: unknown }).ok : undefined;
  if (ok === false) return parseWithDto<QueryReply<T>>(dto.QueryFailureDto, contract, json);
  const envelope = parseWithDto<{ ok: true; data: unknown }>(dto.QueryOkDto, contract, json);
  try {
    return { ok: true, data: parseData(envelope.data) };
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    throw new ContractViolation(contract, error.problems.map((problem) => `data: ${problem}`));
  }
}
