export {
  createClient,
  type Client,
  type ClientOptions,
  type CreateClientOptions,
} from './client.js'
export {
  ClientError,
  StatusError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isKindNotServed,
  isMethodNotSupported,
  isNotFound,
  isNotFoundOrNotServed,
  isResourceExpired,
  isServerTimeout,
  isServiceUnavailable,
  isStatusError,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  isUnsupportedMediaType,
  reasonForError,
  type ClientErrorCode,
  type KindNotServedError,
  type MatchedStatusError,
} from './errors.js'
export {
  statusError,
  statusErrorOfResponse,
  statusOfResponse,
  type Redact,
  type RequestSubject,
  type Status,
  type StatusCause,
  type StatusDetails,
} from './status.js'
export { parseWarningHeaders, type Warning } from './warnings.js'
export type { StreamingOperations } from './streaming.js'
export type { WatchBookmark, WatchEvent, WatchOptions, WatchRetry } from './watch.js'
export type { ListAllOptions } from './list-all.js'
export type { LogOptions, LogResource } from './logs.js'
export type { EvictionDeleteOptions, EvictionResource, EvictionStatus } from './evict.js'
export type { ProxyFetcher, ProxyInit, ProxyTarget } from './proxy.js'
export { isK8sCodegenError } from '@k8s-codegen/proxy-url'
export type {
  ApplyOptions,
  CreateOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  OperationOptions,
  ReplaceStatusOptions,
  Selection,
  WriteOptions,
} from './options.js'
export type { Scale } from './scale.js'
export {
  fieldSelectorString,
  labelSelectorString,
  parseFieldSelector,
  parseLabelSelector,
  type LabelSelector,
} from './selectors.js'
export type {
  AnyResource,
  ApplyConfiguration,
  ApplyOf,
  BuiltinGroup,
  CollectionScope,
  DeepPartial,
  JsonPatchOperation,
  JsonPointer,
  MergePatch,
  ObjectTarget,
  PatchOf,
  StrategicMergePatch,
  WithSubresource,
} from './types.js'
