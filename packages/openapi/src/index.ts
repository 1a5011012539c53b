export { OpenApiError, type OpenApiErrorCode } from './errors.js'
export type {
  APIResource,
  APIResourceList,
  GroupVersionRef,
  JsonObject,
  OpenApiV3Document,
  SpecSet,
  StoredGroupVersion,
  VersionInfo,
} from './types.js'
export { sha512Hex, isSha512Hex } from './hash.js'
export {
  parseGroupVersionKey,
  groupVersionKey,
  filterName,
  normalizeGroupVersionPattern,
  groupVersionFilter,
  selectGroupVersions,
  discoveryPath,
  type GroupVersionFilters,
} from './group-version.js'
export {
  DEFAULT_GENERATION_OPTIONS,
  diffGenerationOptions,
  mergeGenerationOptions,
  parseGenerationOptions,
  type GenerationOptions,
} from './generation-options.js'
export { SpecCache, defaultCacheDir } from './cache.js'
export {
  LOCKFILE_NAME,
  defaultLockfilePath,
  getLockfile,
  lockfileHash,
  parseLockfile,
  readLockfile,
  serializeLockfile,
  writeLockfile,
  type LockedBytes,
  type LockedGroupVersion,
  type Lockfile,
} from './lockfile.js'
export { splitV2Document, groupVersionKeyOfPath } from './split-v2.js'
export {
  fetchSpecs,
  specsDirPaths,
  type FetchEvent,
  type FetchOptions,
  type FetchResult,
  type SpecResponse,
  type SpecSource,
} from './fetch.js'
export { loadSpecSet, verifyLockedSpecs, type LoadSpecSetOptions } from './load.js'
