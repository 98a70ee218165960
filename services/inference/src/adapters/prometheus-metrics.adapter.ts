import { Inject, Injectable } from '@nestjs/common';
import type { SegmentResult } from '@giggles/contracts';
import { MetricsService } from '@giggles/health';
import type { SegmentMetrics } from '../services/ports';

/** Segment counters and timings on /metrics (the app's own prom-client registry). */
@Injectable()
export class PrometheusSegmentMetrics implements SegmentMetrics {
  private readonly segments;
  private readonly audioSeconds;
  private readonly events;
  private readonly processing;
  private readonly realtimeFactor;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.segments = metrics.counter<'status' | 'code'>({
      name: 'giggles_inference_segments_total',
      help: 'Segment results published, by status and error code (redelivered duplicates excluded)',
      labelNames: ['status', 'code'],
    });
    this.audioSeconds = metrics.counter({ name: 'giggles_inference_audio_seconds_total', help: 'Seconds of audio decoded and analysed' });
    this.events = metrics.counter({ name: 'giggles_inference_events_total', help: 'Laughter events found' });
    this.processing = metrics.histogram({
      name: 'giggles_inference_processing_seconds',
      help: 'Wall time from segment start to result, per segment',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    });
    this.realtimeFactor = metrics.histogram({
      name: 'giggles_inference_realtime_factor',
      help: 'Seconds of audio analysed per second of wall time, per segment (×realtime; a 2 h window at 300× takes 24 s)',
      buckets: [10, 25, 50, 100, 200, 300, 400, 600, 1000],
    });
  }

  segmentDone(result: SegmentResult, duplicate: boolean): void {
    if (duplicate) return;
    this.segments.inc({ status: result.status, code: result.error?.code ?? '' });
    this.audioSeconds.inc(result.decodedSeconds);
    this.events.inc(result.events.length);
    this.processing.observe(result.processingMs / 1000);
    if (result.processingMs > 0 && result.decodedSeconds > 0) this.realtimeFactor.observe(result.decodedSeconds / (result.processingMs / 1000));
  }
}
