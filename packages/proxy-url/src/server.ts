// The `server` of a proxy target: an http(s) URL of the apiserver, possibly behind a path prefix
// (Rancher's `/k8s/clusters/c-1`), as kubeconfig `clusters[].cluster.server` holds it. It is
// checked and normalized without `new URL()` (which is slow and not what we want for a prefix)
// but so that the WHATWG parser reads the result back unchanged: scheme and host lower-cased,
// trailing slashes dropped so the API path never starts with `//`.
import { ProxyUrlError } from './errors.js'
import { quote } from './_text.js'
import { isIPv4Address, isIPv6Address } from './validation.js'

/** `pchar` characters that may stay literal in a path prefix (RFC 3986 §3.3). */
const PREFIX_CHAR = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/
const HOST_CHAR = /^[A-Za-z0-9\-._~]+$/
const NUMERIC_LABEL = /^(?:[0-9]+|0[xX][0-9A-Fa-f]*)$/

/** Normalized servers by input: one kubeconfig server is used for many URLs. */
const cache = new Map<string, string>()
const CACHE_LIMIT = 64

/**
 * The server with user-info replaced by `***`, for error messages: a server string can carry
 * basic-auth credentials, and those never go into an error.
 */
function redact(server: string): string {
  const schemeEnd = server.indexOf('://')
  const start = schemeEnd === -1 ? 0 : schemeEnd + 3
  let end = server.length
  for (const stop of ['/', '?', '#']) {
    const at = server.indexOf(stop, start)
    if (at !== -1 && at < end) end = at
  }
  const at = server.lastIndexOf('@', end - 1)
  if (at < start) return quote(server)
  return quote(`${server.slice(0, start)}***${server.slice(at)}`)
}

function invalid(server: string, rule: string): ProxyUrlError {
  return new ProxyUrlError(
    'K8S_CODEGEN_PROXY_SERVER_INVALID',
    `server ${redact(server)} is invalid: ${rule}`,
  )
}

/**
 * True for a segment the WHATWG URL parser treats as `.` or `..`, percent-encoded dots included.
 */
export function isDotSegment(segment: string): boolean {
  if (segment.length === 0 || segment.length > 6) return false
  const lower = segment.toLowerCase()
  return (
    lower === '.' ||
    lower === '..' ||
    lower === '%2e' ||
    lower === '.%2e' ||
    lower === '%2e.' ||
    lower === '%2e%2e'
  )
}

/**
 * Checks an apiserver URL and returns it normalized: `scheme://host[:port][/prefix]` with scheme
 * and host lower-cased, an explicit port and a path prefix kept, and no trailing slash. Rejects
 * non-http(s) schemes, user-info, a query, a fragment, backslashes, and prefixes with empty or
 * dot segments.
 */
export function normalizeServer(server: string): string {
  if (typeof server !== 'string') {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_SERVER_INVALID',
      `server must be a string, got ${typeof server}`,
    )
  }
  const cached = cache.get(server)
  if (cached !== undefined) return cached
  const normalized = checkServer(server)
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(server, normalized)
  return normalized
}

function checkServer(server: string): string {
  const head = server.slice(0, 8).toLowerCase()
  const scheme = head.startsWith('https://') ? 'https' : head.startsWith('http://') ? 'http' : ''
  if (scheme === '') {
    throw invalid(server, 'it must be an http:// or https:// URL like "https://10.0.0.1:6443"')
  }
  if (server.includes('\\')) {
    throw invalid(server, 'it contains "\\", which URL parsers read as "/"')
  }
  if (server.includes('?') || server.includes('#')) {
    throw invalid(server, 'it must not contain a query ("?") or a fragment ("#")')
  }
  const authorityStart = scheme.length + 3
  const slash = server.indexOf('/', authorityStart)
  const authorityEnd = slash === -1 ? server.length : slash
  const authority = server.slice(authorityStart, authorityEnd)
  if (authority.includes('@')) {
    throw invalid(
      server,
      'it must not contain user-info ("user:password@"); credentials belong in the kubeconfig',
    )
  }

  let host: string
  let portText: string | undefined
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']')
    const address = close === -1 ? '' : authority.slice(1, close)
    if (!isIPv6Address(address)) {
      throw invalid(server, 'the host in "[…]" must be an IPv6 address like "[::1]"')
    }
    host = `[${address.toLowerCase()}]`
    const rest = authority.slice(close + 1)
    if (rest !== '') {
      if (!rest.startsWith(':')) throw invalid(server, 'only ":<port>" may follow "[…]"')
      portText = rest.slice(1)
    }
  } else {
    const colon = authority.indexOf(':')
    host = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase()
    if (colon !== -1) portText = authority.slice(colon + 1)
    if (!HOST_CHAR.test(host)) {
      throw invalid(
        server,
        'the host must be a DNS name or IPv4 address of [A-Za-z0-9.-_~] (write IDNs in their xn-- form, IPv6 in brackets)',
      )
    }
    // The WHATWG host parser reads a host whose last label is a number as IPv4 (hex and octal
    // included) and fails or rewrites it; accept only the plain dotted-decimal form.
    const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.')
    if (NUMERIC_LABEL.test(labels[labels.length - 1] ?? '') && !isIPv4Address(host)) {
      throw invalid(server, `the host ${quote(host)} ends in a number but is not an IPv4 address`)
    }
  }

  let port = ''
  if (portText !== undefined) {
    const value = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : 0
    if (value < 1 || value > 65535) {
      throw invalid(server, `the port ${quote(portText)} is not a number from 1 to 65535`)
    }
    port = `:${value}`
  }

  let end = server.length
  while (end > authorityEnd && server.charCodeAt(end - 1) === 0x2f) end--
  const prefix = server.slice(authorityEnd, end)
  if (prefix !== '') {
    const segments = prefix.split('/')
    for (let index = 1; index < segments.length; index++) {
      const segment = segments[index] ?? ''
      if (segment === '') throw invalid(server, 'its path prefix has an empty segment ("//")')
      if (isDotSegment(segment)) {
        throw invalid(server, `its path prefix has the dot segment ${quote(segment)}`)
      }
      if (!PREFIX_CHAR.test(segment)) {
        throw invalid(
          server,
          `its path prefix segment ${quote(segment)} has characters that must be percent-encoded`,
        )
      }
    }
  }
  return `${scheme}://${host}${port}${prefix}`
}
