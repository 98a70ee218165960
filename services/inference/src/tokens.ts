/**
 * Injection tokens. Every constructor parameter is injected by token (`@Inject(TOKEN)`), not by
 * emitted type metadata, so the service runs the same compiled by tsc, SWC (tests) or esbuild/tsx.
 */
export const INFERENCE_SETTINGS = Symbol('InferenceConfig');
export const LOGGER = Symbol('InferenceLogger');
export const NATS = Symbol('NatsConnectionAdapter');
export const YAMNET = Symbol('YamnetModelAdapter');
export const AUDIO_SOURCE = Symbol('AudioObjectSource');
export const CLIP_STORE = Symbol('ClipStore');
export const RESULT_PUBLISHER = Symbol('ResultPublisher');
export const SEGMENT_SOURCE = Symbol('SegmentSource');
export const LAUGHTER_ANALYZER = Symbol('LaughterAnalyzer');
export const SEGMENT_PROCESSOR = Symbol('SegmentProcessor');
export const SEGMENT_METRICS = Symbol('SegmentMetrics');
export const PIPELINE_PROGRESS = Symbol('PipelineProgress');
