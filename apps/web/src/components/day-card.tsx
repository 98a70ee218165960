import type { DaySummary } from '../api/types';
import { dayName, formatAudio, formatSeconds, plural, stateLabel } from '../lib/format';

/** One day at a glance: laughs, laughing time, audio recorded (so "no audio" ≠ "no laughs"), state. */
export function DayCard({ day, timezone }: { day: DaySummary; timezone: string }) {
  const noAudio = day.audioSeconds <= 0;
  const headline =
    noAudio && day.state === 'processing'
      ? 'Processing…'
      : noAudio
        ? 'No audio recorded'
        : day.laughCount === 0
          ? 'No laughs found'
          : plural(day.laughCount, 'laugh');
  return (
    <li class={`day-card day-card--${day.state}`}>
      <a class="day-card__link" href={`/day/${day.localDate}`}>
        <span class="day-card__date">{dayName(day.localDate, timezone)}</span>
        <span class="day-card__headline">{headline}</span>
        <span class="day-card__facts">
          {!noAudio && day.laughCount > 0 && <span>{formatSeconds(day.laughSeconds)} laughing</span>}
          {!noAudio && <span>{formatAudio(day.audioSeconds)}</span>}
          {day.rejectedCount > 0 && <span>{plural(day.rejectedCount, 'marked not a laugh', 'marked not a laugh')}</span>}
        </span>
        <span class={`pill pill--${day.state}`}>{stateLabel(day.state)}</span>
        {/* "Done" and "No audio" are said by the pill and the headline; other states need their words. */}
        {day.state !== 'done' && day.state !== 'no_audio' && day.stateMessage && <span class="day-card__state">{day.stateMessage}</span>}
      </a>
    </li>
  );
}
