import type { AnalysisResult, CutClip } from '@giggles/analysis';
import { AudioDecodeError } from '@giggles/audio';
import { messageIds, parseSegmentResult, type SegmentResult } from '@giggles/contracts';
import type { LaughterEvent } from '@giggles/detection';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger';
import { AudioObjectMissingError, type AnalyzeHooks, type AudioObjectSource, type ClipStore, type LaughterAnalyzer, type ResultPublisher } from '../src/services/ports';
import { INFERENCE_GAVE_UP, SegmentProcessor } from '../src/services/segment-processor.service';
import { parseWav, segmentEvent } from './support/fixtures';

function laugh(firstFrame: number, frames: number, classId = 13): LaughterEvent {
  const startS = (firstFrame * 480 + 240) / 1000;
  const lastFrame = firstFrame + frames - 1;
  return {
    startS,
    endS: (lastFrame * 480 + 720) / 1000,
    peakS: (firstFrame * 480 + 480) / 1000,
    probability: 0.8,
    meanProbability: 0.6,
    classId,
    className: classId === 13 ? 'Laughter' : 'Giggle',
    frameCount: frames,
    firstFrame,
    lastFrame,
  };
}

/** An analyzer that "finds" the given events, emitting a clip for each, then optionally fails. */
function fakeAnalyzer(events: LaughterEvent[], options: { failWith?: unknown; durationS?: number } = {}): LaughterAnalyzer & { opened: number } {
  return {
    modelVersion: 'yamnet-test',
    opened: 0,
    async analyze(audio: AsyncIterable<Uint8Array>, hooks: AnalyzeHooks): Promise<AnalysisResult> {
      this.opened++;
      for await (const _ of audio) void _;
      for (const event of events) {
        const window = { startS: Math.max(0, event.startS - 2), endS: event.endS + 2 };
        const clip: CutClip = { event, window, samples: new Float32Array(Math.round((window.endS - window.startS) * 16000)).fill(0.25), sampleRate: 16000 };
        await hooks.onClip(clip);
        hooks.onProgress(window.endS);
      }
      if (options.failWith) throw options.failWith;
      return {
        info: { container: 'ogg-opus', sourceSampleRate: 48000, channels: 1 },
        durationS: options.durationS ?? 120.5,
        events,
        patches: 250,
        modelVersion: 'yamnet-test',
        timings: {} as AnalysisResult['timings'],
      } as AnalysisResult;
    },
  };
}

function fakes(analyzer: LaughterAnalyzer, audio: AudioObjectSource = { open: () => (async function* () { yield new Uint8Array([1, 2, 3]); })() }) {
  const clips = new Map<string, { wav: Uint8Array; metadata: Record<string, string> }>();
  const published: { result: SegmentResult; msgId: string }[] = [];
  const clipStore: ClipStore = {
    put: async (name, wav, metadata) => void clips.set(name, { wav, metadata }),
    remove: async (name) => clips.delete(name),
  };
  const publisher: ResultPublisher = {
    publish: async (result, msgId) => {
      parseSegmentResult(JSON.parse(JSON.stringify(result))); // what publishDurable checks
      const duplicate = published.some((p) => p.msgId === msgId);
      published.push({ result, msgId });
      return { duplicate, seq: published.length };
    },
  };
  const processor = new SegmentProcessor(audio, clipStore, publisher, analyzer, createLogger('silent'));
  return { processor, clips, published };
}

const run = (signal = new AbortController().signal) => {
  const beats: number[] = [];
  return { deliveryCount: 1, heartbeat: () => void beats.push(Date.now()), signal, beats };
};

describe('SegmentProcessor', () => {
  it('a day\'s part of a longer imported file (audioStartMs) keeps only its own events, clips and seconds', async () => {
    // A 120.5 s file starting 60 s before the window: events at ~5 s and ~96 s into the file.
    const events = [laugh(10, 3), laugh(200, 1)];
    const { processor, clips, published } = fakes(fakeAnalyzer(events, { durationS: 120.5 }));
    const base = segmentEvent('imports/part.wav');
    const audioStartMs = base.windowStartMs - 60_000;
    const part = { ...base, trigger: 'import' as const, audioStartMs, windowEndMs: base.windowStartMs + 3_600_000 };
    await processor.process(part, run());
    const { result } = published[0];
    expect(result.events.map((e) => e.startMs)).toEqual([audioStartMs + Math.round(events[1].startS * 1000)]);
    expect(result.decodedSeconds).toBeCloseTo(60.5, 3); // the 60 s before the window belong to the day before
    expect([...clips.keys()]).toEqual([result.events[0].clipObject]);

    // The earlier part of the same file: the first event only, 60 s of audio.
    const earlier = { ...part, windowStartMs: audioStartMs, windowEndMs: base.windowStartMs };
    const second = fakes(fakeAnalyzer(events, { durationS: 120.5 }));
    await second.processor.process(earlier, run());
    expect(second.published[0].result.events.map((e) => e.startMs)).toEqual([audioStartMs + Math.round(events[0].startS * 1000)]);
    expect(second.published[0].result.decodedSeconds).toBeCloseTo(60, 3);
  });

  it('publishes events in absolute epoch ms with their clips, under the deterministic result id', async () => {
    const events = [laugh(10, 3), laugh(200, 1, 15)];
    const { processor, clips, published } = fakes(fakeAnalyzer(events));
    const segment = segmentEvent('audio/a.ogg');
    const outcome = await processor.process(segment, run());

    expect(published).toHaveLength(1);
    const { result, msgId } = published[0];
    expect(msgId).toBe(messageIds.segmentResult(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId));
    expect(outcome).toMatchObject({ msgId, duplicate: false });
    expect(result).toMatchObject({
      status: 'processed',
      jobId: segment.jobId,
      userId: segment.userId,
      localDate: segment.localDate,
      trigger: segment.trigger,
      windowStartMs: segment.windowStartMs,
      windowEndMs: segment.windowEndMs,
      audioObject: 'audio/a.ogg',
      limitlessCalls: segment.limitlessCalls,
      decodedSeconds: 120.5,
      modelVersion: 'yamnet-test',
    });
    expect(result.error).toBeUndefined();
    const w = segment.windowStartMs;
    expect(result.events).toEqual([
      {
        startMs: w + 5_040,
        endMs: w + 6_480,
        peakMs: w + 5_280,
        probability: 0.8,
        meanProbability: 0.6,
        classId: 13,
        className: 'Laughter',
        clipObject: `${segment.userId}/${segment.localDate}/${w}-${w + 5_040}-13.wav`,
        clipStartMs: w + 3_040,
        clipEndMs: w + 8_480,
      },
      {
        startMs: w + 96_240,
        endMs: w + 96_720,
        peakMs: w + 96_480,
        probability: 0.8,
        meanProbability: 0.6,
        classId: 15,
        className: 'Giggle',
        clipObject: `${segment.userId}/${segment.localDate}/${w}-${w + 96_240}-15.wav`,
        clipStartMs: w + 94_240,
        clipEndMs: w + 98_720,
      },
    ]);
    for (const event of result.events) {
      expect(Number.isInteger(event.startMs) && Number.isInteger(event.endMs) && Number.isInteger(event.peakMs)).toBe(true);
      const clip = clips.get(event.clipObject as string);
      expect(clip).toBeDefined();
      const wav = parseWav(clip!.wav);
      expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(wav.samples).toBe(((event.clipEndMs as number) - (event.clipStartMs as number)) * 16);
      expect(clip!.metadata).toMatchObject({ userId: segment.userId, localDate: segment.localDate, windowStartMs: String(w) });
    }
  });

  it('reports undecodable audio as a failed result and drops the clips already cut', async () => {
    const corrupt = new AudioDecodeError('CORRUPT', 'Ogg page at byte 5000 fails its checksum (after 30.00 s of audio)', { decodedSeconds: 30 });
    const { processor, clips, published } = fakes(fakeAnalyzer([laugh(10, 3)], { failWith: corrupt }));
    await processor.process(segmentEvent('audio/bad.ogg'), run());
    expect(published).toHaveLength(1);
    expect(published[0].result).toMatchObject({
      status: 'failed',
      events: [],
      decodedSeconds: 30,
      modelVersion: 'yamnet-test',
      error: { code: 'AUDIO_CORRUPT', message: corrupt.message },
    });
    expect(clips.size).toBe(0);
  });

  it('reports a missing audio object as failed with AUDIO_OBJECT_MISSING', async () => {
    const missing: AudioObjectSource = {
      open: (name) => (async function* () {
        throw new AudioObjectMissingError(name);
      })(),
    };
    const { processor, published } = fakes(fakeAnalyzer([]), missing);
    await processor.process(segmentEvent('audio/gone.ogg'), run());
    expect(published[0].result).toMatchObject({ status: 'failed', events: [], decodedSeconds: 0, error: { code: 'AUDIO_OBJECT_MISSING' } });
    expect(published[0].result.error?.message).toContain('audio/gone.ogg');
  });

  it('lets transient errors through (the segment is naked and retried) without publishing', async () => {
    const { processor, published } = fakes(fakeAnalyzer([laugh(1, 2)], { failWith: new Error('nats: timeout') }));
    await expect(processor.process(segmentEvent('audio/x.ogg'), run())).rejects.toThrow('nats: timeout');
    expect(published).toHaveLength(0);
  });

  it('never turns an interrupted analysis into a failed result', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const { processor, published } = fakes(fakeAnalyzer([], { failWith: new AudioDecodeError('TRUNCATED', 'cut short') }));
    await expect(processor.process(segmentEvent('audio/x.ogg'), run(controller.signal))).rejects.toThrow('cut short');
    expect(published).toHaveLength(0);
  });

  it('sends progress heartbeats during a long analysis, at most one a second', async () => {
    const events = Array.from({ length: 30 }, (_, i) => laugh(i * 20, 1));
    const analyzer = fakeAnalyzer(events);
    const slow: LaughterAnalyzer = {
      modelVersion: analyzer.modelVersion,
      analyze: (audio, hooks) =>
        analyzer.analyze(audio, {
          ...hooks,
          onClip: async (clip) => {
            await new Promise((r) => setTimeout(r, 50));
            await hooks.onClip(clip);
          },
        }),
    };
    const { processor } = fakes(slow);
    const r = run();
    await processor.process(segmentEvent('audio/long.ogg'), r);
    expect(r.beats.length).toBeGreaterThanOrEqual(1);
    expect(r.beats.length).toBeLessThanOrEqual(4);
  });

  it('publishes a failed INFERENCE_GAVE_UP result when a segment is dead-lettered', async () => {
    const { processor, published } = fakes(fakeAnalyzer([]));
    const segment = segmentEvent('audio/y.ogg');
    await processor.giveUp(segment, 'failed 5 of 5 deliveries; last error: boom');
    expect(published[0].result).toMatchObject({ status: 'failed', events: [], error: { code: INFERENCE_GAVE_UP, message: 'failed 5 of 5 deliveries; last error: boom' } });
    expect(published[0].msgId).toBe(messageIds.segmentResult(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId));
  });
});
