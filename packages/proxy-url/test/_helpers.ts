import { ProxyUrlError, type ProxyUrlErrorCode } from '../src/index.js'

/** What a table row expects when the call must fail. */
export interface WantError {
  code: ProxyUrlErrorCode
  message?: RegExp
}

/** Runs `call`, which must throw a ProxyUrlError, and returns it. */
export function thrown(call: () => unknown): ProxyUrlError {
  try {
    call()
  } catch (error) {
    if (error instanceof ProxyUrlError) return error
    throw error
  }
  throw new Error('expected a ProxyUrlError, but the call returned')
}

/** Asserts the error of `call` has the wanted code and, when given, a matching message. */
export function expectError(call: () => unknown, want: WantError): ProxyUrlError {
  const error = thrown(call)
  if (error.code !== want.code) {
    throw new Error(`expected code ${want.code}, got ${error.code}: ${error.message}`)
  }
  if (want.message !== undefined && !want.message.test(error.message)) {
    throw new Error(`expected message matching ${String(want.message)}, got: ${error.message}`)
  }
  return error
}

/**
 * Time limit of a 10 000-run property: seconds on an idle machine, but the 2 cores are shared
 * with four other engineers' builds, and the default 5 s limit turned that into a failure.
 */
export const PROPERTY_TIMEOUT_MS = 120_000
