// The path behind `/proxy/`. The apiserver joins it onto the backend's location with
// apimachinery `pkg/util/net/http.go` JoinPreservingTrailingSlash (Go `path.Join`, which cleans
// `.`, `..` and empty segments and cannot climb above the root, plus the trailing slash kept);
// see ProxyREST.Connect in kubernetes `pkg/registry/core/{pod,node,service}`. We clean
// the same way before encoding, so what the URL says is what the backend gets, and then encode
// every segment so no URL parser (WHATWG resolves `%2e%2e` as `..`) can climb out of `/proxy/`.
import { ProxyUrlError } from './errors.js'

/** `pchar` of RFC 3986 §3.3 minus `%`: unreserved, sub-delims, `:` and `@` stay literal. */
const PATH_SAFE = asciiTable("-._~!$&'()*+,;=:@")
const HEX = '0123456789ABCDEF'

/** A lookup table of the ASCII characters that stay literal: alphanumerics plus `extra`. */
export function asciiTable(extra: string): Uint8Array {
  const table = new Uint8Array(128)
  for (let code = 0; code < 128; code++) {
    if (
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      extra.includes(String.fromCharCode(code))
    ) {
      table[code] = 1
    }
  }
  return table
}

/**
 * Percent-encodes every code point of `text` that `safe` does not list (UTF-8, upper-case hex).
 * `what` names the input in the error for a lone UTF-16 surrogate, which has no UTF-8 form.
 */
export function percentEncode(text: string, safe: Uint8Array, what: 'path' | 'query'): string {
  let start = 0
  while (start < text.length) {
    const code = text.charCodeAt(start)
    if (code >= 128 || safe[code] !== 1) break
    start++
  }
  if (start === text.length) return text
  let out = text.slice(0, start)
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 128) {
      out += safe[code] === 1 ? text[index] : `%${HEX[code >> 4]}${HEX[code & 15]}`
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw loneSurrogate(what, code)
      out += encodeURIComponent(text.slice(index, index + 2))
      index++
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      throw loneSurrogate(what, code)
    } else {
      out += encodeURIComponent(text[index] ?? '')
    }
  }
  return out
}

function loneSurrogate(what: 'path' | 'query', code: number): ProxyUrlError {
  return new ProxyUrlError(
    what === 'path' ? 'K8S_CODEGEN_PROXY_PATH_INVALID' : 'K8S_CODEGEN_PROXY_QUERY_INVALID',
    `${what} has a lone UTF-16 surrogate (\\u${code.toString(16)}); it has no UTF-8 form and cannot be percent-encoded`,
  )
}

/** True when no segment of `path` is empty (bar a trailing one), `.` or `..`: nothing to clean. */
function isClean(path: string): boolean {
  if (path.length === 0) return true
  let start = 0
  for (let index = 0; index <= path.length; index++) {
    if (index !== path.length && path.charCodeAt(index) !== 0x2f) continue
    const length = index - start
    // An empty segment is fine only at the very end (a trailing slash after something).
    if (length === 0 ? index !== path.length : isDots(path, start, length)) return false
    start = index + 1
  }
  return true
}

function isDots(path: string, start: number, length: number): boolean {
  return (
    length <= 2 &&
    path.charCodeAt(start) === 0x2e &&
    (length === 1 || path.charCodeAt(start + 1) === 0x2e)
  )
}

/** True when every character of `path` stays literal in a URL path (`/` included). */
function isLiteral(path: string): boolean {
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index)
    if (code >= 128 || (PATH_SAFE[code] !== 1 && code !== 0x2f)) return false
  }
  return true
}

/**
 * Cleans a plain-text proxied path the way the apiserver's `path.Join` does, relative to the
 * proxy root: empty and `.` segments drop, `..` removes the previous segment and clamps at the
 * root, and a trailing `/` stays when anything remains. The result has no leading slash; `''` is
 * the root itself.
 */
export function cleanProxyPath(path: string): string {
  if (isClean(path)) return path
  const kept: string[] = []
  let start = 0
  for (let index = 0; index <= path.length; index++) {
    if (index !== path.length && path.charCodeAt(index) !== 0x2f) continue
    const segment = path.slice(start, index)
    start = index + 1
    if (segment === '' || segment === '.') continue
    if (segment === '..') kept.pop()
    else kept.push(segment)
  }
  if (kept.length === 0) return ''
  const joined = kept.join('/')
  return path.endsWith('/') ? `${joined}/` : joined
}

/** Encodes a path already cleaned by {@link cleanProxyPath}: each segment on its own. */
export function encodeCleanPath(clean: string): string {
  if (isLiteral(clean)) return clean
  let out = ''
  let start = 0
  for (let index = 0; index <= clean.length; index++) {
    if (index !== clean.length && clean.charCodeAt(index) !== 0x2f) continue
    if (start !== 0) out += '/'
    out += percentEncode(clean.slice(start, index), PATH_SAFE, 'path')
    start = index + 1
  }
  return out
}

/**
 * Decodes an already percent-encoded path once (for `rawPath`), so `%2e%2e` there means `..` and
 * `%2F` means `/`, as they do to the apiserver, which routes on the decoded path.
 */
export function decodeRawPath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath)
  } catch (cause) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_PATH_INVALID',
      'rawPath has malformed percent-encoding: every "%" must start a %XX escape of valid UTF-8',
      { cause },
    )
  }
}
