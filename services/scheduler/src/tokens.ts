/** Injection tokens: services depend on ports (interfaces), adapters implement them. */
export const SCHEDULER_SETTINGS = Symbol('SCHEDULER_SETTINGS');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');
export const PERSISTENCE = Symbol('PERSISTENCE');
export const JOB_PUBLISHER = Symbol('JOB_PUBLISHER');
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');
export const HISTORY = Symbol('HISTORY');
export const SCHEDULE_OPTIONS = Symbol('SCHEDULE_OPTIONS');
