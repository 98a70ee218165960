export { ModelLoadError, type ModelLoadErrorCode } from './errors';
export { DEFAULT_YAMNET_SETTINGS, YAMNET_SETTING_BOUNDS, resolveYamnetSettings, type YamnetSettings } from './settings';
export { EMBEDDING_SIZE, LAUGHTER_CLASS_IDS, NUM_CLASSES, checkClassMap, loadClassMap, parseClassMap, type ClassMap } from './class-map';
export { importTflite, importTfliteBytes, CONVERTER_VERSION, type ImportResult } from './convert/import-tflite';
export { ONNX_EMBEDDINGS, ONNX_INPUT, ONNX_SCORES } from './convert/convert-network';
export { PATCH_BANDS, PATCH_FRAMES } from './convert/network';
export { convertAndCache, cachedFileName, type CachedModel } from './model-cache';
export { resolveDefaultModelPath } from './model-path';
export { PATCH_SIZE, YamnetModel, type YamnetOutput } from './runtime/yamnet-model';
