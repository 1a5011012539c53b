// The `{name}` path segment of a proxy URL is `[scheme:]name[:port]`. Splitting and joining
// reproduce apimachinery `pkg/util/net/port_split.go` (SplitSchemeNamePort, JoinSchemeNamePort)
// exactly, including its surprises: the split is on every `:`, so `https:svc` is the name `https`
// with the port `svc`, and only the three-part form can carry a scheme.
import { ProxyUrlError } from './errors.js'
import { quote } from './_text.js'

/**
 * Scheme the apiserver uses to reach the proxied service, pod or node.
 *
 * @example
 * const scheme: ProxyScheme = 'https'
 */
export type ProxyScheme = 'http' | 'https'

/**
 * The parts of a `[scheme:]name[:port]` proxy segment. Absent parts are `undefined` (the key is
 * left out), never `''`.
 *
 * @example
 * const segment: ProxySegment = { scheme: 'https', name: 'web', port: '8443' } // 'https:web:8443'
 */
export interface ProxySegment {
  scheme?: ProxyScheme
  name: string
  port?: string
}

function invalidSegment(segment: string, rule: string): ProxyUrlError {
  return new ProxyUrlError(
    'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
    `proxy segment ${quote(segment)} is invalid: ${rule} (apimachinery SplitSchemeNamePort)`,
  )
}

/**
 * Splits a proxy segment exactly as the apiserver does (apimachinery `SplitSchemeNamePort`): on
 * every `:`; one part is the name, two are name and port, three are scheme, name and port. The
 * name must be non-empty and the scheme `''`, `http` or `https` (case-sensitive). The port is not
 * judged here. Throws {@link ProxyUrlError} `K8S_CODEGEN_PROXY_SEGMENT_INVALID` otherwise.
 *
 * @example
 * parseProxySegment('https:web:8443') // { scheme: 'https', name: 'web', port: '8443' }
 * parseProxySegment('https:web') // { name: 'https', port: 'web' } — see lintProxySegment
 * parseProxySegment('web:') // { name: 'web' }
 */
export function parseProxySegment(segment: string): ProxySegment {
  if (typeof segment !== 'string') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
      `proxy segment must be a string, got ${typeof segment}`,
    )
  }
  const first = segment.indexOf(':')
  if (first === -1) {
    if (segment.length === 0) throw invalidSegment(segment, 'the name must be non-empty')
    return { name: segment }
  }
  const second = segment.indexOf(':', first + 1)
  if (second === -1) {
    if (first === 0) throw invalidSegment(segment, 'the name must be non-empty')
    const name = segment.slice(0, first)
    return first === segment.length - 1 ? { name } : { name, port: segment.slice(first + 1) }
  }
  if (segment.indexOf(':', second + 1) !== -1) {
    throw invalidSegment(segment, 'it has more than 3 ":"-separated parts (scheme:name:port)')
  }
  if (second === first + 1) throw invalidSegment(segment, 'the name must be non-empty')
  const name = segment.slice(first + 1, second)
  const port = second === segment.length - 1 ? undefined : segment.slice(second + 1)
  if (first === 0) return port === undefined ? { name } : { name, port }
  // Compare in place and return the interned literal: no scheme string is allocated.
  const scheme: ProxyScheme | undefined = segment.startsWith('http')
    ? first === 4
      ? 'http'
      : first === 5 && segment.charCodeAt(4) === 0x73
        ? 'https'
        : undefined
    : undefined
  if (scheme === undefined) {
    throw invalidSegment(
      segment,
      `the scheme ${quote(segment.slice(0, first))} is not "http" or "https"`,
    )
  }
  return port === undefined ? { scheme, name } : { scheme, name, port }
}

/**
 * Joins segment parts exactly as the apiserver's client side does (apimachinery
 * `JoinSchemeNamePort`): with a scheme always three parts (`https:web:` without a port), else
 * `name:port`, else `name`. For every valid segment `x`,
 * `parseProxySegment(formatProxySegment(parseProxySegment(x)))` equals `parseProxySegment(x)`.
 * Throws {@link ProxyUrlError} `K8S_CODEGEN_PROXY_SEGMENT_INVALID` for an empty name, a `:` in
 * a part, or a scheme other than `http`/`https`.
 *
 * @example
 * formatProxySegment({ scheme: 'https', name: 'web' }) // 'https:web:'
 * formatProxySegment({ name: 'web', port: '8080' }) // 'web:8080'
 */
export function formatProxySegment(segment: ProxySegment): string {
  const { scheme, name, port } = segment
  if (typeof name !== 'string' || name.length === 0 || name.includes(':')) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
      `proxy segment name ${typeof name === 'string' ? quote(name) : typeof name} is invalid: it must be non-empty and contain no ":" (apimachinery JoinSchemeNamePort)`,
    )
  }
  if (port !== undefined && (typeof port !== 'string' || port.includes(':'))) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
      `proxy segment port ${typeof port === 'string' ? quote(port) : typeof port} is invalid: it must be a string without ":" (apimachinery JoinSchemeNamePort)`,
    )
  }
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https') {
      throw new ProxyUrlError(
        'K8S_CODEGEN_PROXY_SEGMENT_INVALID',
        `proxy segment scheme ${typeof scheme === 'string' ? quote(scheme) : typeof scheme} is not "http" or "https" (apimachinery JoinSchemeNamePort)`,
      )
    }
    return `${scheme}:${name}:${port ?? ''}`
  }
  return port === undefined || port === '' ? name : `${name}:${port}`
}

/**
 * A warning for segments that are valid but almost certainly not what was meant, or `undefined`.
 * `https:web` is read by the apiserver as the service `https` on port `web`; the scheme needs the
 * three-part form `https:web:` (or `https:web:8443`). Invalid segments get no warning: parsing
 * them throws with the reason.
 *
 * @example
 * lintProxySegment('https:web') // 'proxy segment "https:web" is read as name "https" and port "web"; …'
 * lintProxySegment('https:web:') // undefined
 */
export function lintProxySegment(segment: string): string | undefined {
  const first = segment.indexOf(':')
  if (first === -1 || segment.indexOf(':', first + 1) !== -1) return undefined
  const name = segment.slice(0, first)
  if (name !== 'http' && name !== 'https') return undefined
  const rest = segment.slice(first + 1)
  if (rest === '') {
    return `proxy segment ${quote(segment)} is read as the name ${quote(name)} with no port; to name a scheme write "${name}:<name>:" or "${name}:<name>:<port>"`
  }
  return `proxy segment ${quote(segment)} is read as name ${quote(name)} and port ${quote(rest)}; to use the ${name} scheme write "${name}:${rest}:" (or "${name}:${rest}:<port>")`
}
