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
import type * as c from './commands';
import type * as q from './queries';
import * as cdto from './validation/command-dtos';
import { parseEmptyObject, parseWithDto } from './validation/parse-dto';
import * as dto from './validation/query-dtos';

/** One parser per query request and reply body, same behaviour as the payload parsers. */

export const parseUsersWithActiveKeysRequest = (json: unknown): UsersWithActiveKeysRequest =>
  parseWithDto(dto.UsersWithActiveKeysRequestDto, 'UsersWithActiveKeysRequest', json);
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

export const parseUserByEmailRequest = (json: unknown): q.UserByEmailRequest =>
  parseWithDto(dto.UserByEmailRequestDto, 'UserByEmailRequest', json);
export const parseUserByEmailReply = (json: unknown): q.UserByEmailReply =>
  parseWithDto(dto.UserByEmailReplyDto, 'UserByEmailReply', json);

export const parseRegisterJobRequest = (json: unknown): q.RegisterJobRequest =>
  parseWithDto(dto.RegisterJobRequestDto, 'RegisterJobRequest', json);
export const parseRegisterJobReply = (json: unknown): q.RegisterJobReply =>
  parseWithDto(dto.RegisterJobReplyDto, 'RegisterJobReply', json);

export const parseStalledJobsRequest = (json: unknown): q.StalledJobsRequest =>
  parseWithDto(dto.StalledJobsRequestDto, 'StalledJobsRequest', json);
export const parseStalledJobsReply = (json: unknown): q.StalledJobsReply =>
  parseWithDto(dto.StalledJobsReplyDto, 'StalledJobsReply', json);

export const parseGiveUpGapsRequest = (json: unknown): q.GiveUpGapsRequest =>
  parseWithDto(dto.GiveUpGapsRequestDto, 'GiveUpGapsRequest', json);
export const parseGiveUpGapsReply = (json: unknown): q.GiveUpGapsReply =>
  parseWithDto(dto.GiveUpGapsReplyDto, 'GiveUpGapsReply', json);

export const parseClearDaysRequest = (json: unknown): q.ClearDaysRequest =>
  parseWithDto(dto.ClearDaysRequestDto, 'ClearDaysRequest', json);
export const parseClearDaysReply = (json: unknown): q.ClearDaysReply =>
  parseWithDto(dto.ClearDaysReplyDto, 'ClearDaysReply', json);

export const parseOperationsStatusRequest = (json: unknown): q.OperationsStatusRequest =>
  parseWithDto(dto.OperationsStatusRequestDto, 'OperationsStatusRequest', json);
export const parseOperationsStatusReply = (json: unknown): q.OperationsStatusReply =>
  parseWithDto(dto.OperationsStatusReplyDto, 'OperationsStatusReply', json);

export const parseReconcileRequest = (json: unknown): q.ReconcileRequest =>
  parseWithDto(dto.ReconcileRequestDto, 'ReconcileRequest', json);
export const parseReconcileReply = (json: unknown): q.ReconcileReply =>
  parseWithDto(dto.ReconcileReplyDto, 'ReconcileReply', json);

export const parseProcessTodayRequest = (json: unknown): c.ProcessTodayRequest =>
  parseWithDto(cdto.ProcessTodayRequestDto, 'ProcessTodayRequest', json);
export const parseProcessTodayReply = (json: unknown): c.ProcessTodayReply =>
  parseWithDto(cdto.ProcessTodayReplyDto, 'ProcessTodayReply', json);

export const parseProcessDayRequest = (json: unknown): c.ProcessDayRequest =>
  parseWithDto(cdto.ProcessDayRequestDto, 'ProcessDayRequest', json);
export const parseProcessDayReply = (json: unknown): c.ProcessDayReply =>
  parseWithDto(cdto.ProcessDayReplyDto, 'ProcessDayReply', json);

export const parseReprocessRequest = (json: unknown): c.ReprocessRequest =>
  parseWithDto(cdto.ReprocessRequestDto, 'ReprocessRequest', json);
export const parseReprocessReply = (json: unknown): c.ReprocessReply =>
  parseWithDto(cdto.ReprocessReplyDto, 'ReprocessReply', json);

export const parseStatusRequest = (json: unknown): c.StatusRequest => parseEmptyObject('StatusRequest', json);
export const parseStatusReply = (json: unknown): c.StatusReply => parseWithDto(cdto.StatusReplyDto, 'StatusReply', json);

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
