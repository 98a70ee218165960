export { AppModule } from './app.module';
export { createInferenceApp } from './bootstrap';
export { INFERENCE_CONFIG, loadInferenceConfig, describeInferenceConfig, type InferenceConfig } from './config/inference-config';
export { createLogger, PinoNestLogger, type InferenceLogger } from './logging/logger';
export { SegmentProcessor, INFERENCE_GAVE_UP, type ProcessOutcome } from './services/segment-processor.service';
export { AUDIO_OBJECT_MISSING, segmentFailure } from './services/segment-failure';
export { absoluteMs, clipObjectName, toDetectedEvent, buildSegmentResult } from './services/segment-result';
export { AudioObjectMissingError } from './services/ports';
export * from './tokens';
