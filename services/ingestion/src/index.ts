export { AppModule, type AppModuleOptions } from './app.module';
export { createIngestionApp } from './bootstrap';
export { INGESTION_CONFIG, loadIngestionConfig, describeIngestionConfig, type IngestionConfig } from './config/ingestion-config';
export { createLogger, PinoNestLogger, type IngestionLogger } from './logging/logger';
export { planWindows, splitRange, mergeIntervals, subtractIntervals, MAX_WINDOW_MS, type TimeWindow, type WindowPlan } from './domain/window-planner';
export { fullJitterDelay, retryAfterMs, type RetryPolicy } from './domain/retry-policy';
export { KeyRateLimiter, keyFingerprint, systemClock, type Clock, type RateLimitSettings } from './domain/token-bucket';
export { audioObjectName, DayJobService } from './services/day-job.service';
