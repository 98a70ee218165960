/** YAMNet's fixed front-end parameters (tensorflow/models research/audioset/yamnet/params.py). */
export const YAMNET_SAMPLE_RATE = 16000;
export const STFT_WINDOW_SAMPLES = 400; // 0.025 s
export const STFT_HOP_SAMPLES = 160; // 0.010 s
export const FFT_LENGTH = 512; // next power of two above the window
export const SPECTRUM_BINS = FFT_LENGTH / 2 + 1; // 257
export const MEL_BANDS = 64;
export const MEL_MIN_HZ = 125;
export const MEL_MAX_HZ = 7500;
export const LOG_OFFSET = 0.001;
export const PATCH_FRAMES = 96;
export const PATCH_HOP_FRAMES = 48;
export const PATCH_SECONDS = 0.96;
export const PATCH_HOP_SECONDS = 0.48;
/** Samples needed for one full patch: 95 hops plus one window (YAMNet's pad_waveform minimum, 0.975 s). */
export const PATCH_WINDOW_SAMPLES = (PATCH_FRAMES - 1) * STFT_HOP_SAMPLES + STFT_WINDOW_SAMPLES; // 15600
export const PATCH_HOP_SAMPLES = PATCH_HOP_FRAMES * STFT_HOP_SAMPLES; // 7680
