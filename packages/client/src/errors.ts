// The client's errors: one base class with stable codes, and StatusError for every non-2xx
// answer of the apiserver, with the predicates of apimachinery pkg/api/errors/errors.go.
import { K8sCodegenError, isK8sCodegenError } from '@k8s-codegen/proxy-url'

import type { Status, StatusCause, StatusDetails } from './status.js'

/**
 * Every code a {@link ClientError} can carry. Errors of the connection (`K8S_CODEGEN_CLUSTER_*`:
 * unreachable, TLS, timeout, aborted…) pass through unchanged as `ClusterError`.
 *
 * | code | when |
 * | --- | --- |
 * | `K8S_CODEGEN_CLIENT_STATUS` | the apiserver answered a non-2xx status (a {@link StatusError}) |
 * | `K8S_CODEGEN_CLIENT_KIND_NOT_SERVED` | the cluster does not serve the descriptor's kind in its group-version |
 * | `K8S_CODEGEN_CLIENT_BAD_RESPONSE` | a 2xx body is not the JSON object the operation returns |
 * | `K8S_CODEGEN_CLIENT_INVALID_SELECTOR` | a label or field selector does not parse, checked before sending |
 * | `K8S_CODEGEN_CLIENT_UNSUPPORTED_PATCH` | a strategic merge patch for a kind that is not built in, refused before sending |
 * | `K8S_CODEGEN_CLIENT_INVALID_ARGUMENT` | an option breaks its rule (an identity missing from a body, a bad option value) |
 * | `K8S_CODEGEN_CLIENT_VALIDATION_UNAVAILABLE` | `validate: true`, but no OpenAPI v3 document describes the kind (not served at `/openapi/v3`, not in `validationDocuments`) |
 *
 * @example
 * const code: ClientErrorCode = 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED'
 */
export type ClientErrorCode =
  | 'K8S_CODEGEN_CLIENT_STATUS'
  | 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED'
  | 'K8S_CODEGEN_CLIENT_BAD_RESPONSE'
  | 'K8S_CODEGEN_CLIENT_INVALID_SELECTOR'
  | 'K8S_CODEGEN_CLIENT_UNSUPPORTED_PATCH'
  | 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT'
  | 'K8S_CODEGEN_CLIENT_VALIDATION_UNAVAILABLE'

/**
 * The base of every error `@k8s-codegen/client` throws itself. Branch on `code`; messages name the
 * operation, path, kind and rule, never a credential.
 *
 * @example
 * try {
 *   await k8s.get(Widget, { namespace: 'web', name: 'w' })
 * } catch (error) {
 *   if (error instanceof ClientError && error.code === 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED') {
 *     // install the CRD first
 *   }
 * }
 */
export class ClientError extends K8sCodegenError<ClientErrorCode> {}

/**
 * A non-2xx answer of the apiserver: its `Status` (as sent, or built from the HTTP status as
 * client-go `rest/request.go` `newUnstructuredResponseError` does when the body is not one),
 * with `reason`, `statusCode` (the HTTP status; `code` is the stable error code) and `details`
 * (`causes`: one per invalid field or apply conflict). Test it with {@link isNotFound} & co.
 *
 * @example
 * try {
 *   await k8s.create(ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'web' } })
 * } catch (error) {
 *   if (isAlreadyExists(error)) {
 *     // someone else created it
 *   } else if (error instanceof StatusError) {
 *     error.details?.causes?.map((c) => `${c.field}: ${c.message}`)
 *   }
 * }
 */
export class StatusError extends ClientError {
  /** the apiserver's Status object */
  readonly status: Status
  /** `status.reason`; `''` (StatusReasonUnknown) when the server gave none */
  readonly reason: string
  /** the HTTP status code (`status.code`, else the response's) */
  readonly statusCode: number
  readonly details: StatusDetails | undefined

  constructor(status: Status, message: string) {
    super('K8S_CODEGEN_CLIENT_STATUS', message)
    this.status = status
    this.reason = typeof status.reason === 'string' ? status.reason : ''
    this.statusCode = typeof status.code === 'number' ? status.code : 0
    this.details = status.details
  }

  /** `details.causes`, or an empty list */
  get causes(): readonly StatusCause[] {
    return this.details?.causes ?? []
  }
}

/**
 * True for a {@link StatusError}, also one thrown by another copy of this package.
 *
 * @example
 * if (isStatusError(error)) error.reason
 */
export function isStatusError(error: unknown): error is StatusError {
  return (
    isK8sCodegenError(error) &&
    error.code === 'K8S_CODEGEN_CLIENT_STATUS' &&
    typeof (error as { status?: unknown }).status === 'object'
  )
}

declare const matched: unique symbol

/**
 * The {@link StatusError} a predicate matched: `if (isConflict(error))` types `error` as
 * `MatchedStatusError<'Conflict'>`, so `error.causes`, `error.reason` and `error.status` compile.
 * The brand exists only in types; it keeps an `else` branch typed as it was (a plain
 * `error is StatusError` would make a `StatusError` variable `never` there).
 *
 * @example
 * if (isConflict(error)) error.causes.filter((c) => c.reason === 'FieldManagerConflict')
 */
export type MatchedStatusError<Reason extends string> = StatusError & {
  readonly [matched]: Reason
}

/**
 * The {@link ClientError} of a kind the cluster does not serve (`K8S_CODEGEN_CLIENT_KIND_NOT_SERVED`;
 * its `cause` is the server's 404).
 *
 * @example
 * const e: KindNotServedError = error as KindNotServedError
 */
export type KindNotServedError = ClientError & {
  readonly code: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED'
}

/**
 * True when the cluster does not serve the descriptor's kind in its group-version (a CRD not
 * installed, an API not enabled): the `K8S_CODEGEN_CLIENT_KIND_NOT_SERVED` every operation
 * throws for a 404 that discovery explains (apimachinery `meta.IsNoMatchError` is the client-go
 * counterpart, from its REST mapper).
 *
 * @example
 * if (isKindNotServed(error)) console.error('install the Widget CRD first')
 */
export function isKindNotServed(error: unknown): error is KindNotServedError {
  return isK8sCodegenError(error) && error.code === 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED'
}

/**
 * NotFound ({@link isNotFound}) or a kind the cluster does not serve ({@link isKindNotServed}):
 * "there is no such object here", as `apierrors.IsNotFound(err) || meta.IsNoMatchError(err)` in a
 * client-go controller.
 *
 * @example
 * const widget = await k8s.get(Widget, { namespace: 'web', name: 'w' }).catch((e: unknown) => {
 *   if (isNotFoundOrNotServed(e)) return undefined
 *   throw e
 * })
 */
export function isNotFoundOrNotServed(
  error: unknown,
): error is MatchedStatusError<'NotFound'> | KindNotServedError {
  return isNotFound(error) || isKindNotServed(error)
}

// apimachinery errors.go `knownReasons`: every StatusReason constant except StatusReasonUnknown.
// A predicate falls back to the HTTP code only when the reason is not one of these.
const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Invalid',
  'ServerTimeout',
  'StoreReadError',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'Expired',
  'ServiceUnavailable',
])

/**
 * The `reason` of a {@link StatusError}; `''` (StatusReasonUnknown) for anything else
 * (apimachinery errors.go `ReasonForError`).
 *
 * @example
 * reasonForError(error) === 'Conflict'
 */
export function reasonForError(error: unknown): string {
  return isStatusError(error) ? error.reason : ''
}

// errors.go `IsNotFound` & co.: the reason, else the HTTP code when the reason is not known.
function matches(error: unknown, reason: string, code: number | undefined): boolean {
  if (!isStatusError(error)) return false
  if (error.reason === reason) return true
  return code !== undefined && !KNOWN_REASONS.has(error.reason) && error.statusCode === code
}

/**
 * NotFound, or a 404 without a known reason (errors.go `IsNotFound`).
 *
 * @example
 * const cm = await k8s.get(ConfigMap, { namespace: 'web', name: 'a' }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)))
 */
export function isNotFound(error: unknown): error is MatchedStatusError<'NotFound'> {
  return matches(error, 'NotFound', 404)
}

/**
 * AlreadyExists: a create found the name taken. Reason only: a 409 is ambiguous (errors.go
 * `IsAlreadyExists`).
 *
 * @example
 * if (isAlreadyExists(error)) await k8s.replace(ConfigMap, cm)
 */
export function isAlreadyExists(error: unknown): error is MatchedStatusError<'AlreadyExists'> {
  return matches(error, 'AlreadyExists', undefined)
}

/**
 * Conflict, or a 409 without a known reason: a stale resourceVersion, a failed precondition, or
 * a server-side apply conflict (`details.causes` with reason FieldManagerConflict) (errors.go
 * `IsConflict`).
 *
 * @example
 * if (isConflict(error)) await k8s.apply(Deployment, config, { fieldManager: 'me', force: true })
 */
export function isConflict(error: unknown): error is MatchedStatusError<'Conflict'> {
  return matches(error, 'Conflict', 409)
}

/**
 * Invalid, or a 422 without a known reason: validation failed, one cause per field (errors.go
 * `IsInvalid`).
 *
 * @example
 * if (isInvalid(error)) error.details?.causes
 */
export function isInvalid(error: unknown): error is MatchedStatusError<'Invalid'> {
  return matches(error, 'Invalid', 422)
}

/**
 * BadRequest, or a 400 without a known reason (a strict `fieldValidation`, a bad selector)
 * (errors.go `IsBadRequest`).
 *
 * @example
 * isBadRequest(error)
 */
export function isBadRequest(error: unknown): error is MatchedStatusError<'BadRequest'> {
  return matches(error, 'BadRequest', 400)
}

/**
 * Forbidden, or a 403 without a known reason (RBAC, a terminating namespace) (errors.go
 * `IsForbidden`).
 *
 * @example
 * isForbidden(error)
 */
export function isForbidden(error: unknown): error is MatchedStatusError<'Forbidden'> {
  return matches(error, 'Forbidden', 403)
}

/**
 * Unauthorized, or a 401 without a known reason (errors.go `IsUnauthorized`).
 *
 * @example
 * isUnauthorized(error)
 */
export function isUnauthorized(error: unknown): error is MatchedStatusError<'Unauthorized'> {
  return matches(error, 'Unauthorized', 401)
}

/**
 * Gone, or a 410 without a known reason (errors.go `IsGone`). A watch or list from a compacted
 * resourceVersion is {@link isResourceExpired} instead.
 *
 * @example
 * isGone(error)
 */
export function isGone(error: unknown): error is MatchedStatusError<'Gone'> {
  return matches(error, 'Gone', 410)
}

/**
 * Expired: a resourceVersion or continue token older than the server keeps (reason only,
 * errors.go `IsResourceExpired`); relist.
 *
 * @example
 * if (isResourceExpired(error)) await k8s.list(ConfigMap, { namespace: 'web' })
 */
export function isResourceExpired(error: unknown): error is MatchedStatusError<'Expired'> {
  return matches(error, 'Expired', undefined)
}

/**
 * TooManyRequests or any 429 — the one predicate whose code check ignores the reason (errors.go
 * `IsTooManyRequests`).
 *
 * @example
 * isTooManyRequests(error)
 */
export function isTooManyRequests(error: unknown): error is MatchedStatusError<'TooManyRequests'> {
  return isStatusError(error) && (error.reason === 'TooManyRequests' || error.statusCode === 429)
}

/**
 * ServerTimeout: the server asks the client to retry (reason only, errors.go `IsServerTimeout`).
 *
 * @example
 * isServerTimeout(error)
 */
export function isServerTimeout(error: unknown): error is MatchedStatusError<'ServerTimeout'> {
  return matches(error, 'ServerTimeout', undefined)
}

/**
 * Timeout, or a 504 without a known reason: the request may still complete (errors.go
 * `IsTimeout`).
 *
 * @example
 * isTimeout(error)
 */
export function isTimeout(error: unknown): error is MatchedStatusError<'Timeout'> {
  return matches(error, 'Timeout', 504)
}

/**
 * MethodNotAllowed, or a 405 without a known reason: the resource lacks the verb (errors.go
 * `IsMethodNotSupported`).
 *
 * @example
 * isMethodNotSupported(error)
 */
export function isMethodNotSupported(
  error: unknown,
): error is MatchedStatusError<'MethodNotAllowed'> {
  return matches(error, 'MethodNotAllowed', 405)
}

/**
 * UnsupportedMediaType, or a 415 without a known reason (a patch type the resource does not take)
 * (errors.go `IsUnsupportedMediaType`).
 *
 * @example
 * isUnsupportedMediaType(error)
 */
export function isUnsupportedMediaType(
  error: unknown,
): error is MatchedStatusError<'UnsupportedMediaType'> {
  return matches(error, 'UnsupportedMediaType', 415)
}

/**
 * InternalError, or a 500 without a known reason (errors.go `IsInternalError`).
 *
 * @example
 * isInternalError(error)
 */
export function isInternalError(error: unknown): error is MatchedStatusError<'InternalError'> {
  return matches(error, 'InternalError', 500)
}

/**
 * ServiceUnavailable, or a 503 without a known reason (errors.go `IsServiceUnavailable`).
 *
 * @example
 * isServiceUnavailable(error)
 */
export function isServiceUnavailable(
  error: unknown,
): error is MatchedStatusError<'ServiceUnavailable'> {
  return matches(error, 'ServiceUnavailable', 503)
}
