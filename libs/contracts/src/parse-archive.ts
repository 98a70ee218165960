import type * as a from './archive-queries';
import { QUERIES } from './names';
import * as dto from './validation/archive-dtos';
import { parseEmptyObject, parseWithDto } from './validation/parse-dto';

/** Parsers for `archive-queries.ts`, and their entries for QueryTypes / QUERY_CONTRACTS. */

const parser =
  <T>(cls: new () => object, name: string) =>
  (json: unknown): T =>
    parseWithDto<T>(cls, name, json);

export interface ArchiveQueryTypes {
  [QUERIES.archiveSummary]: { request: a.ArchiveSummaryRequest; reply: a.ArchiveSummaryReply };
  [QUERIES.setArchive]: { request: a.SetArchiveRequest; reply: a.SetArchiveReply };
  [QUERIES.archiveTotals]: { request: a.ArchiveTotalsRequest; reply: a.ArchiveTotalsReply };
  [QUERIES.archivedWindows]: { request: a.ArchivedWindowsRequest; reply: a.ArchivedWindowsReply };
  [QUERIES.restoreArchivedWindow]: { request: a.RestoreArchivedWindowRequest; reply: a.RestoreArchivedWindowReply };
  [QUERIES.readArchivedWindow]: { request: a.ReadArchivedWindowRequest; reply: a.ReadArchivedWindowReply };
}

type Contracts = {
  [S in keyof ArchiveQueryTypes]: {
    parseRequest(json: unknown): ArchiveQueryTypes[S]['request'];
    parseReply(json: unknown): ArchiveQueryTypes[S]['reply'];
  };
};

export const ARCHIVE_QUERY_CONTRACTS: Contracts = {
  [QUERIES.archiveSummary]: {
    parseRequest: parser(dto.ArchiveSummaryRequestDto, 'ArchiveSummaryRequest'),
    parseReply: parser(dto.ArchiveSummaryReplyDto, 'ArchiveSummaryReply'),
  },
  [QUERIES.setArchive]: {
    parseRequest: parser(dto.SetArchiveRequestDto, 'SetArchiveRequest'),
    parseReply: parser(dto.ArchiveSummaryReplyDto, 'SetArchiveReply'),
  },
  [QUERIES.archiveTotals]: {
    parseRequest: (json) => parseEmptyObject('ArchiveTotalsRequest', json) as a.ArchiveTotalsRequest,
    parseReply: parser(dto.ArchiveTotalsReplyDto, 'ArchiveTotalsReply'),
  },
  [QUERIES.archivedWindows]: {
    parseRequest: parser(dto.ArchivedWindowsRequestDto, 'ArchivedWindowsRequest'),
    parseReply: parser(dto.ArchivedWindowsReplyDto, 'ArchivedWindowsReply'),
  },
  [QUERIES.restoreArchivedWindow]: {
    parseRequest: parser(dto.RestoreArchivedWindowRequestDto, 'RestoreArchivedWindowRequest'),
    parseReply: parser(dto.RestoreArchivedWindowReplyDto, 'RestoreArchivedWindowReply'),
  },
  [QUERIES.readArchivedWindow]: {
    parseRequest: parser(dto.ReadArchivedWindowRequestDto, 'ReadArchivedWindowRequest'),
    parseReply: parser(dto.ReadArchivedWindowReplyDto, 'ReadArchivedWindowReply'),
  },
};
