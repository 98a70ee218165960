import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@giggles/health';
import type { Counter, Histogram } from 'prom-client';

/** The service's Prometheus metrics (served on /metrics with the process defaults). */
@Injectable()
export class PersistenceMetrics {
  /** Result messages by kind (segment|window|job) and outcome (applied|duplicate|retried|dead_lettered). */
  readonly results: Counter<'kind' | 'outcome'>;
  readonly detectionsInserted: Counter;
  readonly duplicatesSkipped: Counter;
  /** Clips moved into clip storage (stored) or whose object had expired (missing). */
  readonly clips: Counter<'outcome'>;
  /** What the audio archive did per processed window (archived, not_opted_in, archive_off, …) and per empty window (empty_recorded, audio_kept, …). */
  readonly archive: Counter<'outcome'>;
  /** Dead letters recorded in a user's processing log (recorded), or not attributable / not written (unrecorded). */
  readonly deadLetterRecords: Counter<'outcome'>;
  readonly resultSeconds: Histogram<'kind'>;
  /** Queries answered, by subject and outcome (ok|not_found|conflict|error). */
  readonly queries: Counter<'query' | 'outcome'>;
  readonly querySeconds: Histogram<'query'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.results = metrics.counter({ name: 'giggles_persistence_results_total', help: 'Result messages handled', labelNames: ['kind', 'outcome'] });
    this.detectionsInserted = metrics.counter({ name: 'giggles_persistence_detections_inserted_total', help: 'Laughter detections stored' });
    this.duplicatesSkipped = metrics.counter({ name: 'giggles_persistence_duplicates_skipped_total', help: 'Detected events already stored (redeliveries, overlaps)' });
    this.clips = metrics.counter({ name: 'giggles_persistence_clips_total', help: 'Clips moved into clip storage', labelNames: ['outcome'] });
    this.archive = metrics.counter({ name: 'giggles_persistence_archive_windows_total', help: 'Window audio handled by the audio archive, by outcome', labelNames: ['outcome'] });
    this.deadLetterRecords = metrics.counter({
      name: 'giggles_persistence_dead_letter_records_total',
      help: "Dead-lettered results written to the user's processing log",
      labelNames: ['outcome'],
    });
    this.resultSeconds = metrics.histogram({
      name: 'giggles_persistence_result_duration_seconds',
      help: 'Time to store one result (database write, clips, object cleanup)',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.queries = metrics.counter({ name: 'giggles_persistence_queries_total', help: 'Queries answered', labelNames: ['query', 'outcome'] });
    this.querySeconds = metrics.histogram({
      name: 'giggles_persistence_query_duration_seconds',
      help: 'Time to answer one query',
      labelNames: ['query'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    // Present at 0 from the start, so rate() and the alert rules see them before the first dead letter.
    for (const outcome of ['recorded', 'unrecorded']) this.deadLetterRecords.inc({ outcome }, 0);
  }
}
