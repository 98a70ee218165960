export { startStack, defaultRecordingsDir, DEFAULT_TIMEZONES, SERVICE_MEMORY_LIMIT_MB, type E2eUserSpec, type PlacedRecording, type Stack, type StackOptions, type StackUser } from './stack';
export { runNight, summarize, userSummary, type NightSummary, type RunNightOptions, type SummaryDetection, type UserSummary } from './run-night';
export { readUserDay, readDeadLetters, type DeadLetterRecord, type StoredDetection, type StoredSegment, type UserDayRecord, type WindowCounts } from './readback';
export { startService, serviceEntry, procMemory, procCpuSeconds, parseJsonLines, SERVICE_NAMES, type ServiceMode, type ServiceName, type ServiceProcess, type ServiceSpec } from './service-process';
export { startLimitlessProxy, type LimitlessProxy, type WindowDamage } from './limitless-proxy';
export { startMessageTap, type MessageTap, type TappedMessage } from './message-tap';
export { parseE2eArgs, parseFaults, runNightOptions, type E2eArgs } from './cli-args';
export { addDays, localDateOf, localDayRange, localMidnightMs, tzOffsetMs } from './time';
