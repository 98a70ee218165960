import type * as c from './commands';
import { COMMANDS, QUERIES } from './names';
import * as parse from './parse-queries';
import type * as q from './queries';
import * as user from './parse-user-queries';
import { HISTORY_QUERY_CONTRACTS, type HistoryQueryTypes } from './parse-history';
import { ARCHIVE_QUERY_CONTRACTS, type ArchiveQueryTypes } from './parse-archive';
import type * as u from './user-queries';
import { IMPORT_QUERY_CONTRACTS, type ImportQueryTypes } from './parse-imports';

/**
 * Request and reply types per request/reply subject — the persistence QUERIES and the scheduler
 * COMMANDS — so helpers can be typed by subject alone.
 */
export interface QueryTypes extends HistoryQueryTypes, ArchiveQueryTypes, ImportQueryTypes {
  [QUERIES.usersWithActiveKeys]: { request: q.UsersWithActiveKeysRequest; reply: q.UsersWithActiveKeysReply };
  [QUERIES.userKey]: { request: q.UserKeyRequest; reply: q.UserKeyReply };
  [QUERIES.markKeyInvalid]: { request: q.MarkKeyInvalidRequest; reply: q.MarkKeyInvalidReply };
  [QUERIES.windowsDone]: { request: q.WindowsDoneRequest; reply: q.WindowsDoneReply };
  [QUERIES.dueDays]: { request: q.DueDaysRequest; reply: q.DueDaysReply };
  [QUERIES.userDays]: { request: q.UserDaysRequest; reply: q.UserDaysReply };
  [QUERIES.dayDetections]: { request: q.DayDetectionsRequest; reply: q.DayDetectionsReply };
  [QUERIES.jobStatus]: { request: q.JobStatusRequest; reply: q.JobStatusReply };
  [QUERIES.userByEmail]: { request: q.UserByEmailRequest; reply: q.UserByEmailReply };
  [QUERIES.registerJob]: { request: q.RegisterJobRequest; reply: q.RegisterJobReply };
  [QUERIES.stalledJobs]: { request: q.StalledJobsRequest; reply: q.StalledJobsReply };
  [QUERIES.giveUpGaps]: { request: q.GiveUpGapsRequest; reply: q.GiveUpGapsReply };
  [QUERIES.clearDays]: { request: q.ClearDaysRequest; reply: q.ClearDaysReply };
  [QUERIES.operationsStatus]: { request: q.OperationsStatusRequest; reply: q.OperationsStatusReply };
  [QUERIES.reconcile]: { request: q.ReconcileRequest; reply: q.ReconcileReply };
  [QUERIES.ensureUser]: { request: u.EnsureUserRequest; reply: u.EnsureUserReply };
  [QUERIES.userProfile]: { request: u.UserProfileRequest; reply: u.UserProfileReply };
  [QUERIES.updateSettings]: { request: u.UpdateSettingsRequest; reply: u.UpdateSettingsReply };
  [QUERIES.saveKey]: { request: u.SaveKeyRequest; reply: u.SaveKeyReply };
  [QUERIES.deleteKey]: { request: u.DeleteKeyRequest; reply: u.DeleteKeyReply };
  [QUERIES.deleteUserData]: { request: u.DeleteUserDataRequest; reply: u.DeleteUserDataReply };
  [QUERIES.daysPage]: { request: u.DaysPageRequest; reply: u.DaysPageReply };
  [QUERIES.day]: { request: u.DayRequest; reply: u.DayReply };
  [QUERIES.deleteDay]: { request: u.DeleteDayRequest; reply: u.DeleteDayReply };
  [QUERIES.dayLaughs]: { request: u.DayLaughsRequest; reply: u.DayLaughsReply };
  [QUERIES.updateLaugh]: { request: u.UpdateLaughRequest; reply: u.UpdateLaughReply };
  [QUERIES.deleteLaugh]: { request: u.DeleteLaughRequest; reply: u.DeleteLaughReply };
  [QUERIES.exportLaughs]: { request: u.ExportLaughsRequest; reply: u.ExportLaughsReply };
  [QUERIES.readClip]: { request: u.ReadClipRequest; reply: u.ReadClipReply };
  [QUERIES.trends]: { request: u.TrendsRequest; reply: u.TrendsReply };
  [QUERIES.jobProgress]: { request: u.JobProgressRequest; reply: u.JobProgressReply };
  [COMMANDS.processToday]: { request: c.ProcessTodayRequest; reply: c.ProcessTodayReply };
  [COMMANDS.processDay]: { request: c.ProcessDayRequest; reply: c.ProcessDayReply };
  [COMMANDS.reprocess]: { request: c.ReprocessRequest; reply: c.ReprocessReply };
  [COMMANDS.status]: { request: c.StatusRequest; reply: c.StatusReply };
}

export type QuerySubject = keyof QueryTypes;
export type QueryRequestOf<S extends QuerySubject> = QueryTypes[S]['request'];
export type QueryReplyOf<S extends QuerySubject> = QueryTypes[S]['reply'];

export interface QueryContract<Request, Reply> {
  parseRequest(json: unknown): Request;
  parseReply(json: unknown): Reply;
}

export const QUERY_CONTRACTS: { readonly [S in QuerySubject]: QueryContract<QueryRequestOf<S>, QueryReplyOf<S>> } = {
  [QUERIES.usersWithActiveKeys]: {
    parseRequest: parse.parseUsersWithActiveKeysRequest,
    parseReply: parse.parseUsersWithActiveKeysReply,
  },
  [QUERIES.userKey]: { parseRequest: parse.parseUserKeyRequest, parseReply: parse.parseUserKeyReply },
  [QUERIES.markKeyInvalid]: { parseRequest: parse.parseMarkKeyInvalidRequest, parseReply: parse.parseMarkKeyInvalidReply },
  [QUERIES.windowsDone]: { parseRequest: parse.parseWindowsDoneRequest, parseReply: parse.parseWindowsDoneReply },
  [QUERIES.dueDays]: { parseRequest: parse.parseDueDaysRequest, parseReply: parse.parseDueDaysReply },
  [QUERIES.userDays]: { parseRequest: parse.parseUserDaysRequest, parseReply: parse.parseUserDaysReply },
  [QUERIES.dayDetections]: { parseRequest: parse.parseDayDetectionsRequest, parseReply: parse.parseDayDetectionsReply },
  [QUERIES.jobStatus]: { parseRequest: parse.parseJobStatusRequest, parseReply: parse.parseJobStatusReply },
  [QUERIES.userByEmail]: { parseRequest: parse.parseUserByEmailRequest, parseReply: parse.parseUserByEmailReply },
  [QUERIES.registerJob]: { parseRequest: parse.parseRegisterJobRequest, parseReply: parse.parseRegisterJobReply },
  [QUERIES.stalledJobs]: { parseRequest: parse.parseStalledJobsRequest, parseReply: parse.parseStalledJobsReply },
  [QUERIES.giveUpGaps]: { parseRequest: parse.parseGiveUpGapsRequest, parseReply: parse.parseGiveUpGapsReply },
  [QUERIES.clearDays]: { parseRequest: parse.parseClearDaysRequest, parseReply: parse.parseClearDaysReply },
  [QUERIES.operationsStatus]: { parseRequest: parse.parseOperationsStatusRequest, parseReply: parse.parseOperationsStatusReply },
  [QUERIES.reconcile]: { parseRequest: parse.parseReconcileRequest, parseReply: parse.parseReconcileReply },
  [QUERIES.ensureUser]: { parseRequest: user.parseEnsureUserRequest, parseReply: user.parseEnsureUserReply },
  [QUERIES.userProfile]: { parseRequest: user.parseUserProfileRequest, parseReply: user.parseUserProfileReply },
  [QUERIES.updateSettings]: { parseRequest: user.parseUpdateSettingsRequest, parseReply: user.parseUpdateSettingsReply },
  [QUERIES.saveKey]: { parseRequest: user.parseSaveKeyRequest, parseReply: user.parseSaveKeyReply },
  [QUERIES.deleteKey]: { parseRequest: user.parseDeleteKeyRequest, parseReply: user.parseDeleteKeyReply },
  [QUERIES.deleteUserData]: { parseRequest: user.parseDeleteUserDataRequest, parseReply: user.parseDeleteUserDataReply },
  [QUERIES.daysPage]: { parseRequest: user.parseDaysPageRequest, parseReply: user.parseDaysPageReply },
  [QUERIES.day]: { parseRequest: user.parseDayRequest, parseReply: user.parseDayReply },
  [QUERIES.deleteDay]: { parseRequest: user.parseDeleteDayRequest, parseReply: user.parseDeleteDayReply },
  [QUERIES.dayLaughs]: { parseRequest: user.parseDayLaughsRequest, parseReply: user.parseDayLaughsReply },
  [QUERIES.updateLaugh]: { parseRequest: user.parseUpdateLaughRequest, parseReply: user.parseUpdateLaughReply },
  [QUERIES.deleteLaugh]: { parseRequest: user.parseDeleteLaughRequest, parseReply: user.parseDeleteLaughReply },
  [QUERIES.exportLaughs]: { parseRequest: user.parseExportLaughsRequest, parseReply: user.parseExportLaughsReply },
  [QUERIES.readClip]: { parseRequest: user.parseReadClipRequest, parseReply: user.parseReadClipReply },
  [QUERIES.trends]: { parseRequest: user.parseTrendsRequest, parseReply: user.parseTrendsReply },
  [QUERIES.jobProgress]: { parseRequest: user.parseJobProgressRequest, parseReply: user.parseJobProgressReply },
  [COMMANDS.processToday]: { parseRequest: parse.parseProcessTodayRequest, parseReply: parse.parseProcessTodayReply },
  [COMMANDS.processDay]: { parseRequest: parse.parseProcessDayRequest, parseReply: parse.parseProcessDayReply },
  [COMMANDS.reprocess]: { parseRequest: parse.parseReprocessRequest, parseReply: parse.parseReprocessReply },
  [COMMANDS.status]: { parseRequest: parse.parseStatusRequest, parseReply: parse.parseStatusReply },
  ...HISTORY_QUERY_CONTRACTS,
  ...ARCHIVE_QUERY_CONTRACTS,
  ...IMPORT_QUERY_CONTRACTS,
};

export function isQuerySubject(subject: string): subject is QuerySubject {
  return Object.prototype.hasOwnProperty.call(QUERY_CONTRACTS, subject);
}
