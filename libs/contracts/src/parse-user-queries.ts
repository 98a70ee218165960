import type * as u from './user-queries';
import { parseWithDto } from './validation/parse-dto';
import * as dto from './validation/user-query-dtos';

/** One parser per request and reply of the gateway's queries (user-queries.ts), same behaviour as parse-queries.ts. */

export const parseEnsureUserRequest = (json: unknown): u.EnsureUserRequest => parseWithDto(dto.EnsureUserRequestDto, 'EnsureUserRequest', json);
export const parseEnsureUserReply = (json: unknown): u.EnsureUserReply => parseWithDto(dto.EnsureUserReplyDto, 'EnsureUserReply', json);

export const parseUserProfileRequest = (json: unknown): u.UserProfileRequest => parseWithDto(dto.UserProfileRequestDto, 'UserProfileRequest', json);
export const parseUserProfileReply = (json: unknown): u.UserProfileReply => parseWithDto(dto.UserProfileReplyDto, 'UserProfileReply', json);

export const parseUpdateSettingsRequest = (json: unknown): u.UpdateSettingsRequest => parseWithDto(dto.UpdateSettingsRequestDto, 'UpdateSettingsRequest', json);
export const parseUpdateSettingsReply = (json: unknown): u.UpdateSettingsReply => parseWithDto(dto.UserProfileReplyDto, 'UpdateSettingsReply', json);

export const parseSaveKeyRequest = (json: unknown): u.SaveKeyRequest => parseWithDto(dto.SaveKeyRequestDto, 'SaveKeyRequest', json);
export const parseSaveKeyReply = (json: unknown): u.SaveKeyReply => parseWithDto(dto.SaveKeyReplyDto, 'SaveKeyReply', json);

export const parseDeleteKeyRequest = (json: unknown): u.DeleteKeyRequest => parseWithDto(dto.DeleteKeyRequestDto, 'DeleteKeyRequest', json);
export const parseDeleteKeyReply = (json: unknown): u.DeleteKeyReply => parseWithDto(dto.DeleteKeyReplyDto, 'DeleteKeyReply', json);

export const parseDeleteUserDataRequest = (json: unknown): u.DeleteUserDataRequest => parseWithDto(dto.DeleteUserDataRequestDto, 'DeleteUserDataRequest', json);
export const parseDeleteUserDataReply = (json: unknown): u.DeleteUserDataReply => parseWithDto(dto.DeleteUserDataReplyDto, 'DeleteUserDataReply', json);

export const parseDaysPageRequest = (json: unknown): u.DaysPageRequest => parseWithDto(dto.DaysPageRequestDto, 'DaysPageRequest', json);
export const parseDaysPageReply = (json: unknown): u.DaysPageReply => parseWithDto(dto.DaysPageReplyDto, 'DaysPageReply', json);

export const parseDayRequest = (json: unknown): u.DayRequest => parseWithDto(dto.DayRequestDto, 'DayRequest', json);
export const parseDayReply = (json: unknown): u.DayReply => parseWithDto(dto.DayReplyDto, 'DayReply', json);

export const parseDeleteDayRequest = (json: unknown): u.DeleteDayRequest => parseWithDto(dto.DeleteDayRequestDto, 'DeleteDayRequest', json);
export const parseDeleteDayReply = (json: unknown): u.DeleteDayReply => parseWithDto(dto.DeleteDayReplyDto, 'DeleteDayReply', json);

export const parseDayLaughsRequest = (json: unknown): u.DayLaughsRequest => parseWithDto(dto.DayLaughsRequestDto, 'DayLaughsRequest', json);
export const parseDayLaughsReply = (json: unknown): u.DayLaughsReply => parseWithDto(dto.DayLaughsReplyDto, 'DayLaughsReply', json);

export const parseUpdateLaughRequest = (json: unknown): u.UpdateLaughRequest => parseWithDto(dto.UpdateLaughRequestDto, 'UpdateLaughRequest', json);
export const parseUpdateLaughReply = (json: unknown): u.UpdateLaughReply => parseWithDto(dto.UpdateLaughReplyDto, 'UpdateLaughReply', json);

export const parseDeleteLaughRequest = (json: unknown): u.DeleteLaughRequest => parseWithDto(dto.DeleteLaughRequestDto, 'DeleteLaughRequest', json);
export const parseDeleteLaughReply = (json: unknown): u.DeleteLaughReply => parseWithDto(dto.DeleteLaughReplyDto, 'DeleteLaughReply', json);

export const parseExportLaughsRequest = (json: unknown): u.ExportLaughsRequest => parseWithDto(dto.ExportLaughsRequestDto, 'ExportLaughsRequest', json);
export const parseExportLaughsReply = (json: unknown): u.ExportLaughsReply => parseWithDto(dto.ExportLaughsReplyDto, 'ExportLaughsReply', json);

export const parseReadClipRequest = (json: unknown): u.ReadClipRequest => parseWithDto(dto.ReadClipRequestDto, 'ReadClipRequest', json);
export const parseReadClipReply = (json: unknown): u.ReadClipReply => parseWithDto(dto.ReadClipReplyDto, 'ReadClipReply', json);

export const parseTrendsRequest = (json: unknown): u.TrendsRequest => parseWithDto(dto.TrendsRequestDto, 'TrendsRequest', json);
export const parseTrendsReply = (json: unknown): u.TrendsReply => parseWithDto(dto.TrendsReplyDto, 'TrendsReply', json);

export const parseJobProgressRequest = (json: unknown): u.JobProgressRequest => parseWithDto(dto.JobProgressRequestDto, 'JobProgressRequest', json);
export const parseJobProgressReply = (json: unknown): u.JobProgressReply => parseWithDto(dto.JobProgressReplyDto, 'JobProgressReply', json);
