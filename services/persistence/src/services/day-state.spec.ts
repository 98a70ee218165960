import { describe, expect, it } from 'vitest';
import { type DaySummaryRow } from '../database/database.types';
import { formatAudio, toDaySummary } from './day-state';

const row = (overrides: Partial<DaySummaryRow> = {}): DaySummaryRow => ({
  local_date: '2024-03-01',
  laugh_count: 0,
  laugh_seconds: 0,
  mean_probability: null,
  audio_seconds: 0,
  windows_processed: 0,
  windows_empty: 0,
  windows_gap: 0,
  windows_failed: 0,
  rejected_count: 0,
  jobs_in_flight: 0,
  in_flight_planned: 0,
  in_flight_done: 0,
  latest_job_status: null,
  gaps_given_up: false,
  key_state: 'active',
  ...overrides,
});

const state = (overrides: Partial<DaySummaryRow>) => {
  const summary = toDaySummary(row(overrides));
  return [summary.state, summary.stateMessage];
};

describe('a day\'s state in words', () => {
  it('processing while a job of the day is in flight, with how far it got', () => {
    expect(state({ jobs_in_flight: 1, in_flight_planned: 12, in_flight_done: 5, windows_processed: 5 })).toEqual(['processing', 'Processing: 5 of 12 windows done']);
    expect(state({ jobs_in_flight: 1 })).toEqual(['processing', "Processing: fetching the day's recordings"]);
  });

  it('key_invalid when the latest job stopped at a rejected key', () => {
    expect(state({ latest_job_status: 'key_invalid', key_state: 'invalid' })[0]).toBe('key_invalid');
  });

  it('partial or failed with open windows, and whether they are still retried', () => {
    expect(state({ windows_processed: 10, windows_gap: 2, audio_seconds: 7200 })).toEqual(['partial', '2 of 12 windows could not be downloaded; it will be retried.']);
    expect(state({ windows_processed: 1, windows_failed: 1, gaps_given_up: true })).toEqual(['partial', '1 of 2 windows could not be analysed; no more retries.']);
    expect(state({ windows_gap: 1, windows_failed: 1 })).toEqual(['failed', '2 of 2 windows could not be downloaded or analysed; it will be retried.']);
    expect(state({ latest_job_status: 'failed' })).toEqual(['failed', 'Processing this day failed; it will be retried.']);
  });

  it('no_audio tells "no audio" from "no laughs"; done counts audio and laughs', () => {
    expect(state({ windows_empty: 12 })).toEqual(['no_audio', 'No audio was recorded this day.']);
    expect(state({})).toEqual(['no_audio', 'Nothing has been processed for this day yet.']);
    expect(state({ windows_processed: 2, audio_seconds: 5400 })).toEqual(['done', 'Done: 1 h 30 min of audio, 0 laughs.']);
    expect(state({ windows_processed: 1, audio_seconds: 30, laugh_count: 1, mean_probability: 0.8 })).toEqual(['done', 'Done: 30 s of audio, 1 laugh.']);
  });

  it('a mean probability only when laughs are counted', () => {
    expect(toDaySummary(row({ laugh_count: 2, mean_probability: 0.75 })).meanProbability).toBe(0.75);
    expect(toDaySummary(row({ laugh_count: 0, rejected_count: 1, mean_probability: null }))).not.toHaveProperty('meanProbability');
  });

  it('formats audio lengths', () => {
    expect([formatAudio(0), formatAudio(59), formatAudio(600), formatAudio(3600), formatAudio(7000)]).toEqual(['0 s', '59 s', '10 min', '1 h', '1 h 57 min']);
  });
});
