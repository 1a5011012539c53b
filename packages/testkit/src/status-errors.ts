// The failures the apiserver answers with, as apimachinery `pkg/api/errors/errors.go` builds
// them (NewNotFound, NewAlreadyExists, NewConflict, NewInvalid, NewForbidden,
// NewMethodNotSupported, NewUnsupportedMediaType, NewResourceExpired, NewBadRequest,
// NewGone) and `pkg/endpoints/handlers/responsewriters/status.go` turns into `metav1.Status`.

/** Where a resource lives: its group and its plural resource name. */
export interface GroupResource {
  group: string
  resource: string
}

/** One `metav1.StatusCause`. */
export interface StatusCause {
  reason: string
  message: string
  field?: string
}

/** A `metav1.Status` failure an apiserver handler answers with. */
export class ApiStatusError extends Error {
  readonly code: number
  readonly reason: string
  readonly details: Record<string, unknown> | undefined
  readonly retryAfterSeconds: number | undefined
  /** ListMeta of the Status (an expired continue token carries a fresh one). */
  listMeta: Record<string, unknown> = {}
  /** The server closes the connection after this answer (`Connection: close`). */
  closeConnection = false

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: Record<string, unknown>,
    retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'ApiStatusError'
    this.code = code
    this.reason = reason
    this.details = details
    this.retryAfterSeconds = retryAfterSeconds
  }

  /** The `metav1.Status` body. */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMeta,
      status: 'Failure',
      message: this.message,
    }
    // metav1.Status `reason` is omitempty: a Status a handler returned as is may have none.
    if (this.reason !== '') status['reason'] = this.reason
    if (this.details !== undefined) status['details'] = this.details
    status['code'] = this.code
    return status
  }
}

// `schema.GroupResource.String()`: `resource.group`, or `resource` in the core group.
function qualified(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`
}

function details(gr: GroupResource, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (name !== '') out['name'] = name
  if (gr.group !== '') out['group'] = gr.group
  out['kind'] = gr.resource
  return out
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(gr: GroupResource, name: string): ApiStatusError {
  return new ApiStatusError(
    404,
    'NotFound',
    `${qualified(gr)} ${JSON.stringify(name)} not found`,
    details(gr, name),
  )
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): ApiStatusError {
  return new ApiStatusError(
    409,
    'AlreadyExists',
    `${qualified(gr)} ${JSON.stringify(name)} already exists`,
    details(gr, name),
  )
}

/** 409 Conflict: `Operation cannot be fulfilled on pods "x": <why>`. */
export function conflict(
  gr: GroupResource,
  name: string,
  why: string,
  causes?: StatusCause[],
): ApiStatusError {
  const d = details(gr, name)
  if (causes !== undefined) d['causes'] = causes
  return new ApiStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(gr)} ${JSON.stringify(name)}: ${why}`,
    d,
  )
}

/** The optimistic-concurrency conflict of `pkg/registry/generic/registry/store.go` Update. */
export function staleConflict(gr: GroupResource, name: string): ApiStatusError {
  return conflict(
    gr,
    name,
    'the object has been modified; please apply your changes to the latest version and try again',
  )
}

/**
 * 422 Invalid: `Pod "x" is invalid: [a: Required value, b: Unsupported value: …]`
 * (NewInvalid joins causes like `field.ErrorList.ToAggregate`).
 */
export function invalid(
  kind: { group: string; kind: string },
  name: string,
  causes: StatusCause[],
): ApiStatusError {
  // ErrorList.ToAggregate drops repeated messages (apimachinery pkg/util/validation/field).
  const texts = [
    ...new Set(causes.map((c) => (c.field === undefined ? c.message : `${c.field}: ${c.message}`))),
  ]
  const joined = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`
  const qualifiedKind = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`
  // metav1.StatusDetails `name` is omitempty: an unnamed object (ListOptions) has none.
  const d: Record<string, unknown> = {}
  if (name !== '') d['name'] = name
  if (kind.group !== '') d['group'] = kind.group
  // `kind` is omitempty too: an internal object without one (an access review) has none.
  if (kind.kind !== '') d['kind'] = kind.kind
  d['causes'] = causes
  return new ApiStatusError(
    422,
    'Invalid',
    `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${joined}`,
    d,
  )
}

/** 400 BadRequest. */
export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(400, 'BadRequest', message)
}

/** 403 Forbidden: `pods "x" is forbidden: <why>`. */
export function forbidden(gr: GroupResource, name: string, why: string): ApiStatusError {
  const subject = name === '' ? qualified(gr) : `${qualified(gr)} ${JSON.stringify(name)}`
  return new ApiStatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(gr, name))
}

/** 405 MethodNotAllowed (NewMethodNotSupported). */
export function methodNotSupported(gr: GroupResource, action: string): ApiStatusError {
  return new ApiStatusError(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind ${JSON.stringify(qualified(gr))}`,
    details(gr, ''),
  )
}

/**
 * 415 UnsupportedMediaType of a handler that negotiates the body itself (apiserver
 * `pkg/endpoints/handlers/negotiation/errors.go` errUnsupportedMediaType.Status: no details).
 */
export function unsupportedMediaType(supported: string[]): ApiStatusError {
  return new ApiStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
  )
}

/**
 * 415 of a built-in route whose `Consumes` lacks the content type: go-restful refuses it before
 * any handler runs (`route_reader` "415: Unsupported Media Type"), which apiserver
 * `pkg/server/filters` turns into a Status with empty details (NewGenericServerResponse).
 */
export function routeUnsupportedMediaType(): ApiStatusError {
  return new ApiStatusError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {})
}

/** 410 Expired (NewResourceExpired), e.g. `too old resource version: 5 (10)`. */
export function expired(message: string): ApiStatusError {
  return new ApiStatusError(410, 'Expired', message)
}

/** 413 RequestEntityTooLarge (NewRequestEntityTooLargeError): `Request entity too large: <why>`. */
export function tooLarge(why: string): ApiStatusError {
  return new ApiStatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${why}`)
}

/** 500 InternalError (NewInternalError): `Internal error occurred: <why>`, the cause in details. */
export function internalError(why: string): ApiStatusError {
  return new ApiStatusError(500, 'InternalError', `Internal error occurred: ${why}`, {
    causes: [{ message: why }],
  })
}
