// An apiserver answer that is not a success, turned into a StatusError as client-go does
// (rest/request.go `transformResponse` and `newUnstructuredResponseError`, apimachinery
// pkg/api/errors/errors.go `FromObject` and `NewGenericServerResponse`). Every string of a
// Status is server text: it reaches the error's message and fields only through `redact` (the
// connection's) and `stripControl`, so a token the server echoes back or a terminal escape
// sequence in a message never reaches a log or a terminal.
import { stripControl } from '@k8s-codegen/cluster'

import { StatusError } from './errors.js'

/**
 * One reason a request failed (meta/v1 StatusCause, whose Go field `Type` is `reason` on the
 * wire): a field that is invalid, or a field another manager owns (`reason:
 * 'FieldManagerConflict'`).
 *
 * @example
 * const cause: StatusCause = { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }
 */
export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

/**
 * meta/v1 StatusDetails, as sent.
 *
 * @example
 * const details: StatusDetails = { name: 'a', kind: 'configmaps' }
 */
export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

/**
 * meta/v1 Status: the body of every apiserver failure (and of some successful deletes).
 *
 * @example
 * const status: Status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "a" not found' }
 */
export interface Status {
  kind?: string
  apiVersion?: string
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number }
  status?: string
  message?: string
  reason?: string
  details?: StatusDetails
  code?: number
}

/**
 * What a request was about, for error messages and the reasons client-go derives from a bare
 * HTTP status.
 *
 * @example
 * const about: RequestSubject = { method: 'GET', path: '/api/v1/namespaces/web/configmaps/a', group: '', resource: 'configmaps', name: 'a' }
 */
export interface RequestSubject {
  method: string
  /** the request path without the server (no credentials) */
  path: string
  group?: string
  /** the plural, e.g. `deployments` */
  resource?: string
  name?: string
}

/**
 * Removes secrets from server text, e.g. `connection.redact` (the client passes its
 * connection's); control characters are always removed after it.
 *
 * @example
 * const redact: Redact = (text) => connection.redact(text)
 */
export type Redact = (text: string) => string

const keep: Redact = (text) => text

/** client-go `maxUnstructuredResponseTextBytes`: how much of a non-Status body a message keeps. */
const MAX_UNSTRUCTURED_TEXT = 2048

/**
 * The Status a failed response carries: the body itself when it is a meta/v1 Status with a
 * `status` field (client-go decodes it and keeps it as is), else one built from the HTTP code
 * like apimachinery `NewGenericServerResponse` (text bodies become the server message; a 409 to
 * a POST is AlreadyExists, to anything else Conflict; other 5xx are InternalError).
 *
 * @example
 * statusOfResponse(404, { 'content-type': 'text/plain' }, bytes('404 page not found'), { method: 'GET', path: '/apis/x/v1/ys' }).reason // 'NotFound'
 */
export function statusOfResponse(
  httpCode: number,
  headers: Record<string, string>,
  body: Uint8Array,
  subject: RequestSubject,
  redact: Redact = keep,
): Status {
  const text = new TextDecoder().decode(body)
  const parsed = parseStatus(text)
  if (parsed !== undefined) return cleanStatus(parsed, redact)
  const isText = /^\s*text\//i.test(headers['content-type'] ?? '')
  const serverMessage = isText
    ? clean(text.slice(0, MAX_UNSTRUCTURED_TEXT), redact).trim()
    : 'unknown'
  const retryAfter = Number(headers['retry-after'])
  return genericStatus(
    httpCode,
    subject,
    serverMessage,
    Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : 0,
  )
}

/**
 * The error for a failed response: {@link statusOfResponse} as a {@link StatusError} whose
 * message names the method, path, code, reason and the server's message.
 *
 * @example
 * throw statusErrorOfResponse(res.status, res.headers, res.body, { method: 'GET', path })
 */
export function statusErrorOfResponse(
  httpCode: number,
  headers: Record<string, string>,
  body: Uint8Array,
  subject: RequestSubject,
  redact: Redact = keep,
): StatusError {
  return statusError(statusOfResponse(httpCode, headers, body, subject, redact), subject, httpCode)
}

/**
 * A StatusError for a Status the server sent where no HTTP status says it failed (a watch
 * ERROR event, a 2xx Failure body).
 *
 * @example
 * throw statusError(event.object, { method: 'GET', path })
 */
export function statusError(
  status: Status,
  subject: RequestSubject,
  httpCode?: number,
  redact: Redact = keep,
): StatusError {
  const cleaned = cleanStatus(status, redact)
  const code = typeof cleaned.code === 'number' && cleaned.code > 0 ? cleaned.code : httpCode
  const withCode: Status =
    code === undefined || cleaned.code === code ? cleaned : { ...cleaned, code }
  const reason =
    typeof withCode.reason === 'string' && withCode.reason !== '' ? ` ${withCode.reason}` : ''
  const message =
    typeof withCode.message === 'string' && withCode.message !== ''
      ? withCode.message
      : 'no message'
  return new StatusError(
    withCode,
    `${subject.method} ${subject.path}: ${code ?? 'unknown status'}${reason}: ${message}`,
  )
}

/**
 * Server text for a message: `redact`, then without control characters.
 *
 * @example
 * clean('denied\u001b]0;x\u0007 for Bearer abc', connection.redact) // 'denied]0;x for Bearer [REDACTED]'
 */
export function clean(text: string, redact: Redact): string {
  return stripControl(redact(text))
}

// Every string of a (decoded, so plain JSON) Status cleaned, keys included.
function cleanStatus(status: Status, redact: Redact): Status {
  return cleanValue(status, redact, 0) as Status
}

// A Status nests four levels (details.causes[].message); deeper values are dropped, not walked.
const MAX_STATUS_DEPTH = 8

function cleanValue(value: unknown, redact: Redact, depth: number): unknown {
  if (typeof value === 'string') return clean(value, redact)
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_STATUS_DEPTH) return undefined
  if (Array.isArray(value)) return value.map((item: unknown) => cleanValue(item, redact, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      clean(key, redact),
      cleanValue(item, redact, depth + 1),
    ]),
  )
}

/** A meta/v1 Status with a `status` (client-go's `len(status.Status) > 0`), else undefined. */
/** Whether a failed response's body is a Status the server sent (not one built from the code). */
export function isSentStatus(body: Uint8Array): boolean {
  return parseStatus(new TextDecoder().decode(body)) !== undefined
}

function parseStatus(text: string): Status | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const candidate = value as Record<string, unknown>
  if (candidate['kind'] !== 'Status') return undefined
  if (typeof candidate['status'] !== 'string' || candidate['status'] === '') return undefined
  return candidate
}

// apimachinery errors.go `NewGenericServerResponse`, with isUnexpectedResponse (the body was
// not a Status): the reason and message follow from the HTTP code alone.
function genericStatus(
  code: number,
  subject: RequestSubject,
  serverMessage: string,
  retryAfterSeconds: number,
): Status {
  let reason = ''
  let message = `the server responded with the status code ${code} but did not return more information`
  switch (code) {
    case 409:
      reason = subject.method === 'POST' ? 'AlreadyExists' : 'Conflict'
      message = 'the server reported a conflict'
      break
    case 404:
      reason = 'NotFound'
      message = 'the server could not find the requested resource'
      break
    case 400:
      reason = 'BadRequest'
      message = 'the server rejected our request for an unknown reason'
      break
    case 401:
      reason = 'Unauthorized'
      message = 'the server has asked for the client to provide credentials'
      break
    case 403:
      reason = 'Forbidden'
      message = serverMessage
      break
    case 406:
      reason = 'NotAcceptable'
      message =
        serverMessage === '' || serverMessage === 'unknown'
          ? 'the server was unable to respond with a content type that the client supports'
          : serverMessage
      break
    case 415:
      reason = 'UnsupportedMediaType'
      message = serverMessage
      break
    case 405:
      reason = 'MethodNotAllowed'
      message = 'the server does not allow this method on the requested resource'
      break
    case 422:
      reason = 'Invalid'
      message = 'the server rejected our request due to an error in our request'
      break
    case 503:
      reason = 'ServiceUnavailable'
      message = 'the server is currently unable to handle the request'
      break
    case 504:
      reason = 'Timeout'
      message =
        'the server was unable to return a response in the time allotted, but may still be processing the request'
      break
    case 429:
      reason = 'TooManyRequests'
      message = 'the server has received too many requests and has asked us to try again later'
      break
    default:
      if (code >= 500) {
        reason = 'InternalError'
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`
      }
  }
  const verb = subject.method.toLowerCase()
  if (subject.resource !== undefined) {
    const groupResource =
      subject.group === undefined || subject.group === ''
        ? subject.resource
        : `${subject.resource}.${subject.group}`
    message +=
      subject.name === undefined
        ? ` (${verb} ${groupResource})`
        : ` (${verb} ${groupResource} ${subject.name})`
  }
  const details: StatusDetails = {
    causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }],
  }
  if (subject.group !== undefined && subject.resource !== undefined) details.group = subject.group
  if (subject.resource !== undefined) details.kind = subject.resource
  if (subject.name !== undefined) details.name = subject.name
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details }
}
