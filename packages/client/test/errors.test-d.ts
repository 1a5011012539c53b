// The error predicates are type guards: in their branch the error's fields compile, and an
// `else` branch keeps the type it had.
import { describe, expectTypeOf, test } from 'vitest'

import {
  isConflict,
  isInvalid,
  isKindNotServed,
  isNotFound,
  isNotFoundOrNotServed,
  type StatusCause,
  type StatusError,
} from '../src/index.js'

declare const error: unknown
declare const statusError: StatusError

describe('error predicates', () => {
  test('narrow unknown to a StatusError', () => {
    if (isConflict(error)) expectTypeOf(error.causes).toEqualTypeOf<readonly StatusCause[]>()
    if (isInvalid(error)) expectTypeOf(error.statusCode).toEqualTypeOf<number>()
  })

  test('leave a StatusError a StatusError when they answer false', () => {
    if (!isNotFound(statusError)) expectTypeOf(statusError.reason).toEqualTypeOf<string>()
  })

  test('isKindNotServed narrows to its code; isNotFoundOrNotServed to either', () => {
    if (isKindNotServed(error))
      expectTypeOf(error.code).toEqualTypeOf<'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED'>()
    if (isNotFoundOrNotServed(error)) expectTypeOf(error.message).toEqualTypeOf<string>()
  })
})
