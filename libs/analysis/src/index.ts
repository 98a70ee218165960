export { analyzeRecording, type AnalyzeOptions, type AnalysisResult } from './analyze-recording';
export { ClipCutter, type ClipSettings, type CutClip } from './clip-cutter';
export { SampleRing } from './sample-ring';
export { StageClock, type Stage, type StageTimings } from './stage-clock';
export { PatchScheduler, type PatchOutput, type PatchSchedulerOptions, type ScheduledFrame } from './patch-scheduler';
export { ANALYSIS_SETTING_BOUNDS, DEFAULT_ANALYSIS_SETTINGS, analysisSettingsFromEnv, resolveAnalysisSettings, type AnalysisSettings } from './analysis-settings';
