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
