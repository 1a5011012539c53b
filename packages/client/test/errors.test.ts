// The predicates against apimachinery pkg/api/errors/errors.go: the reason decides, the HTTP code
// only when the reason is not a known one (IsAlreadyExists, IsResourceExpired and
// IsServerTimeout look at the reason alone; IsTooManyRequests at the code regardless).
import { describe, expect, it } from 'vitest'

import {
  ClientError,
  StatusError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isK8sCodegenError,
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
} from '../src/index.js'

const predicates = {
  isNotFound,
  isAlreadyExists,
  isConflict,
  isInvalid,
  isBadRequest,
  isForbidden,
  isUnauthorized,
  isGone,
  isResourceExpired,
  isTooManyRequests,
  isServerTimeout,
  isTimeout,
  isMethodNotSupported,
  isUnsupportedMediaType,
  isInternalError,
  isServiceUnavailable,
}
type Predicate = keyof typeof predicates

const error = (reason: string, code: number) =>
  new StatusError({ kind: 'Status', status: 'Failure', reason, code }, `${code} ${reason}`)

describe('error predicates', () => {
  it.each<{ given: StatusError; want: Predicate[] }>([
    { given: error('NotFound', 404), want: ['isNotFound'] },
    { given: error('', 404), want: ['isNotFound'] },
    { given: error('SomethingNew', 404), want: ['isNotFound'] },
    // A known reason wins over the code: a NotFound sent with 409 is not a conflict.
    { given: error('NotFound', 409), want: ['isNotFound'] },
    { given: error('AlreadyExists', 409), want: ['isAlreadyExists'] },
    { given: error('', 409), want: ['isConflict'] },
    { given: error('Conflict', 409), want: ['isConflict'] },
    { given: error('Invalid', 422), want: ['isInvalid'] },
    { given: error('', 422), want: ['isInvalid'] },
    { given: error('BadRequest', 400), want: ['isBadRequest'] },
    { given: error('Forbidden', 403), want: ['isForbidden'] },
    { given: error('Unauthorized', 401), want: ['isUnauthorized'] },
    { given: error('Gone', 410), want: ['isGone'] },
    { given: error('Expired', 410), want: ['isResourceExpired'] },
    { given: error('', 410), want: ['isGone'] },
    { given: error('TooManyRequests', 429), want: ['isTooManyRequests'] },
    // IsTooManyRequests checks the code whatever the reason.
    { given: error('Timeout', 429), want: ['isTooManyRequests', 'isTimeout'] },
    { given: error('ServerTimeout', 500), want: ['isServerTimeout'] },
    { given: error('', 500), want: ['isInternalError'] },
    { given: error('InternalError', 500), want: ['isInternalError'] },
    { given: error('Timeout', 504), want: ['isTimeout'] },
    { given: error('', 504), want: ['isTimeout'] },
    { given: error('MethodNotAllowed', 405), want: ['isMethodNotSupported'] },
    { given: error('UnsupportedMediaType', 415), want: ['isUnsupportedMediaType'] },
    { given: error('ServiceUnavailable', 503), want: ['isServiceUnavailable'] },
    { given: error('', 418), want: [] },
  ])('$given.reason/$given.statusCode → $want', ({ given, want }) => {
    const got = (Object.keys(predicates) as Predicate[]).filter((name) => predicates[name](given))
    expect(got.sort()).toEqual([...want].sort())
  })

  it.each([new Error('x'), undefined, null, 'NotFound', { reason: 'NotFound', code: 404 }])(
    'anything but a StatusError matches nothing: %s',
    (given) => {
      expect(Object.values(predicates).some((p) => p(given))).toBe(false)
      expect(reasonForError(given)).toBe('')
    },
  )

  it('a StatusError is a coded ClientError with the Status, reason, HTTP code and causes', () => {
    const e = new StatusError(
      {
        kind: 'Status',
        status: 'Failure',
        reason: 'Invalid',
        code: 422,
        details: {
          name: 'w',
          kind: 'widgets',
          causes: [{ field: 'spec.size', reason: 'FieldValueRequired' }],
        },
      },
      'POST /apis/example.dev/v1/namespaces/web/widgets: 422 Invalid',
    )
    expect(e).toBeInstanceOf(ClientError)
    expect(isK8sCodegenError(e)).toBe(true)
    expect(isStatusError(e)).toBe(true)
    expect(e).toMatchObject({
      code: 'K8S_CODEGEN_CLIENT_STATUS',
      name: 'StatusError',
      reason: 'Invalid',
      statusCode: 422,
      details: { name: 'w' },
    })
    expect(e.causes).toEqual([{ field: 'spec.size', reason: 'FieldValueRequired' }])
    expect(reasonForError(e)).toBe('Invalid')
  })
})

// `if (!isNotFound(e)) throw e` threw for a CRD that is not installed: KIND_NOT_SERVED is not a
// StatusError. isNotFoundOrNotServed covers both (client-go: IsNotFound || meta.IsNoMatchError).
describe('not found, or the kind is not served', () => {
  const notServed = new ClientError(
    'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED',
    'GET /apis/example.dev/v1/namespaces/web/widgets/w: the cluster does not serve Widget',
    { cause: error('NotFound', 404) },
  )
  it.each([
    { given: 'NotFound', error: error('NotFound', 404), want: [false, true] },
    { given: 'KIND_NOT_SERVED', error: notServed, want: [true, true] },
    { given: 'Conflict', error: error('Conflict', 409), want: [false, false] },
    {
      given: 'another ClientError',
      error: new ClientError('K8S_CODEGEN_CLIENT_INVALID_ARGUMENT', 'x'),
      want: [false, false],
    },
    { given: 'not an error', error: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED', want: [false, false] },
  ])('$given: isKindNotServed, isNotFoundOrNotServed → $want', ({ error, want }) => {
    expect([isKindNotServed(error), isNotFoundOrNotServed(error)]).toEqual(want)
  })
})
