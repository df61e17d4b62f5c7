// The browser-side loading of checkpoints: what the compute worker and the UI import.
export type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
export { type CachedFile, type CachedModel, clearModelCache, deleteCachedModel, listCachedModels } from './cache.ts';
export { type CheckpointProgress, type HubCheckpoint, type HubLoadOptions, loadHubCheckpoint } from './checkpoint.ts';
export { type CuratedEntry, type CuratedModel, ENGINE_FAMILIES, curatedModels } from './curated.ts';
export { type FileProgress, MAX_FILE_BYTES } from './download.ts';
export { HubAbortError, HubError, type HubErrorCode, type HubErrorInfo, HubHttpError, HubReferenceError, hubErrorInfo, isAbortError } from '../../engine/checkpoint/hubErrors.ts';
export { type LocalCheckpoint, entriesFromDataTransfer, filesFromEntries, filesFromFileList, localCheckpoint, localCheckpointFromEntries, localCheckpointFromFileList } from './local.ts';
export { type HubOptions, type HubPreflight, type PlannedFile, preflightHub } from './preflight.ts';
export { LARGE_DOWNLOAD_BYTES, askAboveFromQuery } from './askAbove.ts';
export { DEFAULT_HUB, DEFAULT_REVISION, type HubRef, formatHubRef, hubFromQuery, hubRefLabel, normalizeHubUrl, parseHubRef, resolveUrl } from '../../engine/checkpoint/hubRef.ts';
export { CacheStorageModelStore, MODEL_CACHE_NAME, MemoryModelStore, type ModelStore, browserModelStore } from './store.ts';
