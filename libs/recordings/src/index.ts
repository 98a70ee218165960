export { placeRecording, splitByLocalDay, parseIsoInstant, EARLIEST_PLAUSIBLE_MS, FUTURE_TOLERANCE_MS } from './placement/placement';
export type { Placement, PlacementInput, PlacementSource, DayPart } from './placement/placement';
export { PlacementError, type PlacementErrorCode } from './placement/placement-error';
export { NAME_SCAN_LIMIT, baseName, nameMatches, type NameMatch } from './placement/name-patterns';
export type { WallClock } from './placement/local-time';
export { describeLocal, localDateOf, isValidTimezone } from './placement/local-time';
export { ffprobeTagsFrom, readMatroskaDateUtc, type ParsedMetadataLike, type NativeTag } from './placement/parsed-metadata';
