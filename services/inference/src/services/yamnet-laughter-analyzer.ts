import { Inject, Injectable } from '@nestjs/common';
import { analyzeRecording, type AnalysisResult } from '@giggles/analysis';
import type { YamnetModel } from '@giggles/yamnet';
import type { InferenceConfig } from '../config/inference-config';
import { INFERENCE_SETTINGS, YAMNET } from '../tokens';
import type { AnalyzeHooks, LaughterAnalyzer } from './ports';

/** The process's one YAMNet model (loaded at boot by the model adapter). */
export interface ModelHost {
  readonly model: YamnetModel;
}

/**
 * `analyzeRecording` with this process's model and detection settings: streaming decode →
 * log-mel → YAMNet in fixed-size batches → events, with clips as soon as their audio has passed.
 */
@Injectable()
export class YamnetLaughterAnalyzer implements LaughterAnalyzer {
  constructor(
    @Inject(YAMNET) private readonly host: ModelHost,
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
  ) {}

  get modelVersion(): string {
    return this.host.model.version;
  }

  analyze(audio: AsyncIterable<Uint8Array>, hooks: AnalyzeHooks): Promise<AnalysisResult> {
    return analyzeRecording(audio, {
      model: this.host.model,
      detection: this.config.detection,
      analysis: this.config.analysis,
      onClip: hooks.onClip,
      onProgress: hooks.onProgress,
      signal: hooks.signal,
    });
  }
}
