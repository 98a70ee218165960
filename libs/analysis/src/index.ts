export { analyzeRecording, type AnalyzeOptions, type AnalysisResult } from './analyze-recording';
export { ClipCutter, type ClipSettings, type CutClip } from './clip-cutter';
export { SampleRing } from './sample-ring';
export { StageClock, type Stage, type StageTimings } from './stage-clock';
