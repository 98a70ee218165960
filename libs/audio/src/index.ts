export {
  YAMNET_SAMPLE_RATE,
  PATCH_FRAMES,
  MEL_BANDS,
  PATCH_HOP_SECONDS,
  PATCH_SECONDS,
  PATCH_HOP_FRAMES,
  PATCH_HOP_SAMPLES,
  PATCH_WINDOW_SAMPLES,
  STFT_HOP_SAMPLES,
  STFT_WINDOW_SAMPLES,
  FFT_LENGTH,
  MEL_MIN_HZ,
  MEL_MAX_HZ,
  LOG_OFFSET,
} from './constants';
export { AudioDecodeError, isAudioDecodeError, type AudioDecodeErrorCode, type AudioDecodeErrorDetails } from './errors';
export {
  MAX_SOURCE_SAMPLE_RATE,
  MIN_SOURCE_SAMPLE_RATE,
  MAX_SOURCE_CHANNELS,
  MAX_BITS_PER_SAMPLE,
  MAX_OPUS_AUDIO_PACKET_BYTES,
  MAX_OGG_HEADER_PACKET_BYTES,
  MAX_OPUS_PACKETS_PER_DECODE,
} from './limits';
export { openAudio, type AudioSourceInfo, type OpenAudioOptions, type OpenedAudio } from './open-audio';
export { LogMelPatcher, type LogMelPatcherOptions } from './features/log-mel-patcher';
export { linearToMelWeightMatrix, hertzToMel, MelFilterbank } from './features/mel-matrix';
export { RealFft } from './features/fft';
export { periodicHann } from './features/hann';
export { StreamingResampler, type StreamingResamplerOptions } from './resample/streaming-resampler';
export { writeWav16, encodeWav16 } from './wav-writer';
export { findFfmpeg } from './decoders/ffmpeg-locate';
export { openPatchStream } from './front-end/open-patch-stream';
export { stopIdleFrontEndWorkers } from './front-end/front-end-worker-pool';
export { type FrontEndChunk, type FrontEndSlice, type FrontEndTimings, type PatchStream, type PatchStreamOptions } from './front-end/patch-stream';
