// What `-v`/`--v=N` logs about each request, as client-go's debugging round tripper
// (transport/round_trippers.go `debuggingRoundTripper`) and rest/request.go `logBody` see it.
// The library only reports entries; the CLI decides what to print at which level. Credentials are
// masked as client-go `maskValue` masks them ("Bearer <masked>"), and bodies pass the connection's
// redactor.

/**
 * One logged event of a request: sent (`request`) or finished (`response`).
 *
 * @example
 * const entry: RequestLogEntry = { phase: 'response', method: 'GET', url: 'https://127.0.0.1:6443/version', status: 200, milliseconds: 4, headers: {}, body: new Uint8Array() }
 */
export type RequestLogEntry =
  | {
      phase: 'request'
      method: string
      url: string
      /** lower-case names; Authorization masked */
      headers: Record<string, string | string[]>
      body?: Uint8Array | undefined
    }
  | {
      phase: 'response'
      method: string
      url: string
      /** undefined when no response arrived (connect, TLS, timeout) */
      status: number | undefined
      milliseconds: number
      headers: Record<string, string>
      /** the body read whole (undefined for a stream, whose body is read later) */
      body?: Uint8Array | undefined
      error?: string | undefined
    }

// client-go round_trippers.go knownAuthTypes.
const KNOWN_AUTH_TYPES = new Set(['bearer', 'basic', 'negotiate'])

/**
 * An Authorization value as client-go logs it: its scheme and `<masked>`, or `<masked>` alone
 * for an unknown scheme; other headers unchanged.
 *
 * @example
 * maskHeader('authorization', 'Bearer abc') // 'Bearer <masked>'
 */
export function maskHeader(name: string, value: string): string {
  if (name.toLowerCase() !== 'authorization' || value === '') return value
  const space = value.indexOf(' ')
  const scheme = space > 0 ? value.slice(0, space) : value
  if (!KNOWN_AUTH_TYPES.has(scheme.toLowerCase())) return '<masked>'
  return value.length > scheme.length + 1 ? `${scheme} <masked>` : scheme
}
