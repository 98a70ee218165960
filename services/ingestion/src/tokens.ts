/** Injection tokens: services depend on ports (interfaces), adapters implement them. */
export const INGESTION_SETTINGS = Symbol('INGESTION_SETTINGS');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');
export const RANDOM = Symbol('RANDOM');
export const LIMITLESS_API = Symbol('LIMITLESS_API');
export const AUDIO_STORE = Symbol('AUDIO_STORE');
export const JOB_PLANS = Symbol('JOB_PLANS');
export const PIPELINE_PUBLISHER = Symbol('PIPELINE_PUBLISHER');
export const PERSISTENCE = Symbol('PERSISTENCE');
export const PIPELINE_PROGRESS = Symbol('PIPELINE_PROGRESS');
export const IMPORT_OBJECTS = Symbol('IMPORT_OBJECTS');
export const RECORDING_PROBE = Symbol('RECORDING_PROBE');
export const IMPORT_QUERIES = Symbol('IMPORT_QUERIES');
export const RECORDING_REMUXER = Symbol('RECORDING_REMUXER');
