// apimachinery pkg/api/errors/errors.go NewInvalid: the 422 Status the apiserver sends for a
// field.ErrorList, with the message from ErrorList.ToAggregate().
import { errorBody, errorString, type FieldError, type FieldErrorType } from './field-error.js'
import { goQuote } from './go-format.js'

/** One `metav1.StatusCause`. */
export interface StatusCause {
  readonly reason: FieldErrorType
  readonly message: string
  readonly field: string
}

/**
 * The `metav1.Status` kube-apiserver answers an invalid object with (HTTP 422).
 *
 * @example
 * const s: Status = newInvalid({ group: 'example.com', kind: 'Widget' }, 'w', [])
 * s.code // 422
 */
export interface Status {
  readonly kind: 'Status'
  readonly apiVersion: 'v1'
  readonly metadata: Record<string, never>
  readonly status: 'Failure'
  readonly message: string
  readonly reason: 'Invalid'
  /** `name` and `group` are left out when empty, as metav1.StatusDetails' omitempty does */
  readonly details: {
    readonly name?: string
    /** Absent for the core group, as the server's `json:"group,omitempty"` writes it. */
    readonly group?: string
    readonly kind: string
    readonly causes: readonly StatusCause[]
  }
  readonly code: 422
}

/**
 * `errors.NewInvalid`: one cause per field error, and the message
 * `<Kind>.<group> "<name>" is invalid: <error>` (or `[<e1>, <e2>]` for several distinct ones).
 *
 * @example
 * newInvalid({ group: 'example.com', kind: 'Widget' }, 'w', [
 *   { type: 'FieldValueRequired', field: 'spec.host', badValue: '', detail: '' },
 * ]).message // 'Widget.example.com "w" is invalid: spec.host: Required value'
 */
export function newInvalid(
  gk: { readonly group: string; readonly kind: string },
  name: string,
  errs: readonly FieldError[],
): Status {
  const qualified = gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`
  // ErrorList.ToAggregate drops repeated messages; aggregate.Error() brackets two or more.
  const messages = [...new Set(errs.map(errorString))]
  const aggregate = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      `${qualified} ${goQuote(name)} is invalid` + (messages.length === 0 ? '' : `: ${aggregate}`),
    reason: 'Invalid',
    details: {
      ...(name === '' ? {} : { name }),
      ...(gk.group === '' ? {} : { group: gk.group }),
      kind: gk.kind,
      causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    },
    code: 422,
  }
}

/**
 * The 400 Status kube-apiserver answers a body it cannot decode with (the handler's
 * `errors.NewBadRequest` of the decode error, apiserver pkg/endpoints/handlers/rest.go
 * transformDecodeError).
 *
 * @example
 * const s: BadRequestStatus = newDecodeError('ConfigMap', 'v1', 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string')
 * s.code // 400
 */
export interface BadRequestStatus {
  readonly kind: 'Status'
  readonly apiVersion: 'v1'
  readonly metadata: Record<string, never>
  readonly status: 'Failure'
  readonly message: string
  readonly reason: 'BadRequest'
  readonly code: 400
}

/**
 * The 400 of a body that does not decode into its kind: `<Kind> in version "<version>" cannot be
 * handled as a <Kind>: <decoder error>`.
 *
 * @example
 * newDecodeError('ConfigMap', 'v1', 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string').message
 * // 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'
 */
export function newDecodeError(kind: string, version: string, error: string): BadRequestStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: ${error}`,
    reason: 'BadRequest',
    code: 400,
  }
}

/**
 * The 400 Status kube-apiserver answers under `fieldValidation=Strict` when a body has unknown
 * fields (the custom resource codec's strict decoding error, wrapped by the handler's
 * `… cannot be handled as a <Kind>` BadRequest).
 *
 * @example
 * newStrictDecodingError('Widget', 'v1', ['unknown field "spec.x"']).message
 * // 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.x"'
 */
export function newStrictDecodingError(
  kind: string,
  version: string,
  unknownFieldMessages: readonly string[],
): BadRequestStatus {
  return newDecodeError(kind, version, `strict decoding error: ${unknownFieldMessages.join(', ')}`)
}
