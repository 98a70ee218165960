/**
 * Injection tokens of the service's own wiring. The database layer's tokens live beside their
 * classes: SUPABASE_CLIENT (database/supabase-client), KEY_CIPHER (repositories/keys.repository),
 * CLIP_STORE and TRANSIENT_OBJECTS (results/results.handler).
 */
export const PERSISTENCE_SETTINGS = Symbol('PERSISTENCE_SETTINGS');
export const LOGGER = Symbol('LOGGER');
export const PIPELINE_PROGRESS = Symbol('PIPELINE_PROGRESS');
/** Callbacks run when the app shuts down, after the consumer and query server stopped (telemetry flush). */
export const SHUTDOWN_CALLBACKS = Symbol('SHUTDOWN_CALLBACKS');
