import type * as i from './import-queries';
import { INGESTION_REQUESTS } from './history-queries';
import { QUERIES } from './names';
import * as dto from './validation/import-dtos';
import { parseWithDto } from './validation/parse-dto';

/** Parsers for `import-queries.ts`, and their entries for QueryTypes / QUERY_CONTRACTS. */

const parser =
  <T>(cls: new () => object, name: string) =>
  (json: unknown): T =>
    parseWithDto<T>(cls, name, json);

export interface ImportQueryTypes {
  [QUERIES.importBegin]: { request: i.ImportBeginRequest; reply: i.ImportBeginReply };
  [QUERIES.importsList]: { request: i.ImportsListRequest; reply: i.ImportsListReply };
  [INGESTION_REQUESTS.importRecording]: { request: i.ImportRecordingRequest; reply: i.ImportRecordingReply };
}

type Contracts = {
  [S in keyof ImportQueryTypes]: {
    parseRequest(json: unknown): ImportQueryTypes[S]['request'];
    parseReply(json: unknown): ImportQueryTypes[S]['reply'];
  };
};

export const IMPORT_QUERY_CONTRACTS: Contracts = {
  [QUERIES.importBegin]: {
    parseRequest: parser(dto.ImportBeginRequestDto, 'ImportBeginRequest'),
    parseReply: parser(dto.ImportBeginReplyDto, 'ImportBeginReply'),
  },
  [QUERIES.importsList]: {
    parseRequest: parser(dto.ImportsListRequestDto, 'ImportsListRequest'),
    parseReply: parser(dto.ImportsListReplyDto, 'ImportsListReply'),
  },
  [INGESTION_REQUESTS.importRecording]: {
    parseRequest: parser(dto.ImportRecordingRequestDto, 'ImportRecordingRequest'),
    parseReply: parser(dto.ImportRecordingReplyDto, 'ImportRecordingReply'),
  },
};
