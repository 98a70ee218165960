/**
 * A day's state in plain words for the day card, from the counts giggles_day_summaries returns.
 * Pure: the rules are tested on their own (day-state.spec.ts).
 */
import { type DayState, type DaySummary } from '@giggles/contracts';
import { type DaySummaryRow } from '../database/database.types';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 h 20 min", "12 min", "40 s". */
export function formatAudio(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function state(row: DaySummaryRow): { state: DayState; message: string } {
  const open = row.windows_gap + row.windows_failed;
  const settled = row.windows_processed + row.windows_empty;
  const total = open + settled;
  if (row.jobs_in_flight > 0) {
    return {
      state: 'processing',
      message:
        row.in_flight_planned > 0
          ? `Processing: ${row.in_flight_done} of ${plural(row.in_flight_planned, 'window')} done`
          : 'Processing: fetching the day\'s recordings',
    };
  }
  if (row.latest_job_status === 'key_invalid') {
    return { state: 'key_invalid', message: 'Limitless did not accept your key, so this day could not be fetched. Add a new key to process it.' };
  }
  if (open > 0) {
    const what = row.windows_gap > 0 && row.windows_failed > 0 ? 'downloaded or analysed' : row.windows_gap > 0 ? 'downloaded' : 'analysed';
    const next = row.gaps_given_up ? 'no more retries' : 'it will be retried';
    return {
      state: settled > 0 ? 'partial' : 'failed',
      message: `${open} of ${plural(total, 'window')} could not be ${what}; ${next}.`,
    };
  }
  if (row.latest_job_status === 'failed' && total === 0) {
    return { state: 'failed', message: 'Processing this day failed; it will be retried.' };
  }
  if (row.laugh_count + row.rejected_count === 0 && row.audio_seconds === 0 && row.windows_processed === 0) {
    return {
      state: 'no_audio',
      message: total > 0 ? 'No audio was recorded this day.' : 'Nothing has been processed for this day yet.',
    };
  }
  return { state: 'done', message: `Done: ${formatAudio(row.audio_seconds)} of audio, ${plural(row.laugh_count, 'laugh')}.` };
}

export function toDaySummary(row: DaySummaryRow): DaySummary {
  const { state: dayState, message } = state(row);
  return {
    localDate: row.local_date,
    laughCount: row.laugh_count,
    laughSeconds: row.laugh_seconds,
    ...(row.mean_probability !== null && row.laugh_count > 0 ? { meanProbability: Math.min(1, Math.max(0, row.mean_probability)) } : {}),
    audioSeconds: row.audio_seconds,
    windowsProcessed: row.windows_processed,
    windowsEmpty: row.windows_empty,
    windowsGap: row.windows_gap,
    windowsFailed: row.windows_failed,
    rejectedCount: row.rejected_count,
    state: dayState,
    stateMessage: message,
    jobsInFlight: row.jobs_in_flight,
  };
}
