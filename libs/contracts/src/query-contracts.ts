import { QUERIES } from './names';
import * as parse from './parse-queries';
import type * as q from './queries';

/** Request and reply types per query subject, so helpers can be typed by subject alone. */
export interface QueryTypes {
  [QUERIES.usersWithActiveKeys]: { request: q.UsersWithActiveKeysRequest; reply: q.UsersWithActiveKeysReply };
  [QUERIES.userKey]: { request: q.UserKeyRequest; reply: q.UserKeyReply };
  [QUERIES.markKeyInvalid]: { request: q.MarkKeyInvalidRequest; reply: q.MarkKeyInvalidReply };
  [QUERIES.windowsDone]: { request: q.WindowsDoneRequest; reply: q.WindowsDoneReply };
  [QUERIES.dueDays]: { request: q.DueDaysRequest; reply: q.DueDaysReply };
  [QUERIES.userDays]: { request: q.UserDaysRequest; reply: q.UserDaysReply };
  [QUERIES.dayDetections]: { request: q.DayDetectionsRequest; reply: q.DayDetectionsReply };
  [QUERIES.jobStatus]: { request: q.JobStatusRequest; reply: q.JobStatusReply };
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
};

export function isQuerySubject(subject: string): subject is QuerySubject {
  return Object.prototype.hasOwnProperty.call(QUERY_CONTRACTS, subject);
}
