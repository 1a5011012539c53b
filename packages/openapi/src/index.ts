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
  CACHE_TRIM,
  leaveCache,
  lockedEntries,
  markRead,
  trimCache,
  type CacheTrimResult,
} from './cache-trim.js'
export { fileClock, isRacy, statForStamp, statStamp } from './stat-stamp.js'
export {
  LOCKFILE_NAME,
  LOCKFILE_VERSION,
  defaultLockfilePath,
  getLockfile,
  lockfileHash,
  parseLockfile,
  readLockfile,
  readLockfileText,
  serializeLockfile,
  writeLockfile,
  type LockedBytes,
  type LockedCrdSource,
  type LockedGroupVersion,
  type Lockfile,
  type LockfileText,
} from './lockfile.js'
export {
  clusterGroupVersions,
  crdSetKeys,
  selectLockedGroupVersions,
  withoutCrdSets,
} from './lock-sources.js'
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
export {
  loadSpecSet,
  openSpecSet,
  verifyLockedSpecs,
  type LazyGroupVersion,
  type LazySpecSet,
  type LoadSpecSetOptions,
} from './load.js'
export {
  describeLocation,
  listCrdFiles,
  parseCrdDocuments,
  readCrdFiles,
  type CrdDocument,
  type CrdDocuments,
  type CrdLocation,
} from './crd/read.js'
export { DEFAULT_CRD_READ_LIMITS, overLimit, type CrdReadLimits } from './crd/read-limits.js'
export type { FileNaming } from './crd/find-files.js'
export { decodeCrdText, readCrdBytes, type ReadBudget } from './crd/read-text.js'
export {
  parseYamlDocument,
  splitYamlDocuments,
  type YamlDocumentText,
} from './crd/yaml-documents.js'
export { CRD_COLUMN_FORMATS, CRD_COLUMN_TYPES, validateCrd } from './crd/validate.js'
export { CRD_VERBS } from './crd/discovery.js'
export { loadCrds, type LoadedCrds, type SchemaHolder } from './crd/load.js'
export type { CrdVersion, CustomResourceDefinition } from './crd/types.js'
export {
  CRD_QUERY_PARAMETERS,
  CRD_REFERENCED_SCHEMAS,
  crdBaselineFromDocuments,
  deriveCrdBaseline,
  shippedCrdBaseline,
  type CrdBaseline,
  type ShippedBaselineData,
} from './crd/baseline.js'
export { crdSchemaName, toValidOperationId } from './crd/routes.js'
export { storageVersionHash } from './crd/discovery.js'
export { crdsToOpenApiV3, type ConvertedGroupVersion } from './crd/to-openapi-v3.js'
export {
  crdDeprecationWarning,
  crdResourceFacts,
  type CrdFactsList,
  type CrdResourceFacts,
  type PrinterColumn,
} from './crd/facts.js'
export { compareKubeAwareVersions } from './kube-version.js'
export { crdsToOpenApiV2Documents, crdsToSwaggerV2 } from './crd/to-openapi-v2.js'
export { crdSetPaths, lockCrds, type LockCrdsOptions, type LockCrdsResult } from './crd/lock.js'
export {
  CODE_IDENTITY_FILE,
  builtCodeIdentity,
  codeIdentity,
  converterId,
} from './crd/conversion-cache.js'
