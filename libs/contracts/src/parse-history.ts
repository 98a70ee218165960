import type * as h from './history-queries';
import { HISTORY_COMMANDS, HISTORY_QUERIES, INGESTION_REQUESTS } from './history-queries';
import * as dto from './validation/history-dtos';
import { parseEmptyObject, parseWithDto } from './validation/parse-dto';

/** Parsers for `history-queries.ts`, and their entries for QueryTypes / QUERY_CONTRACTS. */

const parser =
  <T>(cls: new () => object, name: string) =>
  (json: unknown): T =>
    parseWithDto<T>(cls, name, json);

export interface HistoryQueryTypes {
  [HISTORY_QUERIES.backfillStart]: { request: h.BackfillStartRequest; reply: h.BackfillStartReply };
  [HISTORY_QUERIES.backfillPlan]: { request: h.BackfillPlanRequest; reply: h.BackfillPlanReply };
  [HISTORY_QUERIES.backfillSetState]: { request: h.BackfillSetStateRequest; reply: h.BackfillSetStateReply };
  [HISTORY_QUERIES.backfillProgress]: { request: h.BackfillProgressRequest; reply: h.BackfillProgressReply };
  [HISTORY_QUERIES.apiOutages]: { request: h.ApiOutagesRequest; reply: h.ApiOutagesReply };
  [HISTORY_QUERIES.apiOutageSet]: { request: h.ApiOutageSetRequest; reply: h.ApiOutageSetReply };
  [HISTORY_QUERIES.discardJob]: { request: h.DiscardJobRequest; reply: h.DiscardJobReply };
  [HISTORY_QUERIES.backfillGiveUp]: { request: h.BackfillGiveUpRequest; reply: h.BackfillGiveUpReply };
  [HISTORY_COMMANDS.backfill]: { request: h.BackfillRequest; reply: h.BackfillReply };
  [HISTORY_COMMANDS.backfillStatus]: { request: h.BackfillStatusRequest; reply: h.BackfillStatusReply };
  [HISTORY_COMMANDS.backfillPause]: { request: h.BackfillPauseRequest; reply: h.BackfillPauseReply };
  [HISTORY_COMMANDS.backfillResume]: { request: h.BackfillResumeRequest; reply: h.BackfillPauseReply };
  [INGESTION_REQUESTS.firstAudio]: { request: h.FirstAudioRequest; reply: h.FirstAudioReply };
  [INGESTION_REQUESTS.probe]: { request: h.ProbeRequest; reply: h.ProbeReply };
}

type Contracts = {
  [S in keyof HistoryQueryTypes]: {
    parseRequest(json: unknown): HistoryQueryTypes[S]['request'];
    parseReply(json: unknown): HistoryQueryTypes[S]['reply'];
  };
};

export const HISTORY_QUERY_CONTRACTS: Contracts = {
  [HISTORY_QUERIES.backfillStart]: {
    parseRequest: parser(dto.BackfillStartRequestDto, 'BackfillStartRequest'),
    parseReply: parser(dto.BackfillStartReplyDto, 'BackfillStartReply'),
  },
  [HISTORY_QUERIES.backfillPlan]: {
    parseRequest: parser(dto.BackfillPlanRequestDto, 'BackfillPlanRequest'),
    parseReply: parser(dto.BackfillPlanReplyDto, 'BackfillPlanReply'),
  },
  [HISTORY_QUERIES.backfillSetState]: {
    parseRequest: parser(dto.BackfillSetStateRequestDto, 'BackfillSetStateRequest'),
    parseReply: parser(dto.BackfillSetStateReplyDto, 'BackfillSetStateReply'),
  },
  [HISTORY_QUERIES.backfillProgress]: {
    parseRequest: parser(dto.BackfillProgressRequestDto, 'BackfillProgressRequest'),
    parseReply: parser(dto.BackfillProgressReplyDto, 'BackfillProgressReply'),
  },
  [HISTORY_QUERIES.apiOutages]: {
    parseRequest: (json) => parseEmptyObject('ApiOutagesRequest', json),
    parseReply: parser(dto.ApiOutagesReplyDto, 'ApiOutagesReply'),
  },
  [HISTORY_QUERIES.apiOutageSet]: {
    parseRequest: parser(dto.ApiOutageSetRequestDto, 'ApiOutageSetRequest'),
    parseReply: parser(dto.ApiOutageSetReplyDto, 'ApiOutageSetReply'),
  },
  [HISTORY_QUERIES.discardJob]: {
    parseRequest: parser(dto.DiscardJobRequestDto, 'DiscardJobRequest'),
    parseReply: parser(dto.DiscardJobReplyDto, 'DiscardJobReply'),
  },
  [HISTORY_QUERIES.backfillGiveUp]: {
    parseRequest: parser(dto.BackfillGiveUpRequestDto, 'BackfillGiveUpRequest'),
    parseReply: parser(dto.BackfillGiveUpReplyDto, 'BackfillGiveUpReply'),
  },
  [HISTORY_COMMANDS.backfill]: {
    parseRequest: parser(dto.BackfillRequestDto, 'BackfillRequest'),
    parseReply: parser(dto.BackfillReplyDto, 'BackfillReply'),
  },
  [HISTORY_COMMANDS.backfillStatus]: {
    parseRequest: parser(dto.BackfillStatusRequestDto, 'BackfillStatusRequest'),
    parseReply: parser(dto.BackfillStatusReplyDto, 'BackfillStatusReply'),
  },
  [HISTORY_COMMANDS.backfillPause]: {
    parseRequest: parser(dto.BackfillUserRequestDto, 'BackfillPauseRequest'),
    parseReply: parser(dto.BackfillPauseReplyDto, 'BackfillPauseReply'),
  },
  [HISTORY_COMMANDS.backfillResume]: {
    parseRequest: parser(dto.BackfillUserRequestDto, 'BackfillResumeRequest'),
    parseReply: parser(dto.BackfillPauseReplyDto, 'BackfillResumeReply'),
  },
  [INGESTION_REQUESTS.firstAudio]: {
    parseRequest: parser(dto.FirstAudioRequestDto, 'FirstAudioRequest'),
    parseReply: parser(dto.FirstAudioReplyDto, 'FirstAudioReply'),
  },
  [INGESTION_REQUESTS.probe]: {
    parseRequest: parser(dto.ProbeRequestDto, 'ProbeRequest'),
    parseReply: parser(dto.ProbeReplyDto, 'ProbeReply'),
  },
};
