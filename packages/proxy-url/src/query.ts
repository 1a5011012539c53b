// The query of a proxy URL is forwarded to the backend as is, except that the apiserver itself
// refuses `dryRun` on connect subresources: apiserver `pkg/endpoints/handlers/rest.go`
// ConnectResource answers 400 "dryRun is not supported" when `len(url.Query()["dryRun"]) != 0`,
// with keys decoded by Go `net/url.ParseQuery` ('&'-separated, '+' is a space, parts with ';'
// dropped).
import { ProxyUrlError } from './errors.js'
import { asciiTable, percentEncode } from './path.js'
import { quote } from './_text.js'

/**
 * A query for {@link buildProxyUrl}: a string is the raw query, appended after one `?` exactly as
 * given (as Go's `url.URL.RawQuery` holds it, so a leading `?` is part of the query), or parameters
 * encoded with `application/x-www-form-urlencoded` rules.
 *
 * @example
 * const query: ProxyQuery = { container: 'app', tailLines: '10' } // 'container=app&tailLines=10'
 */
export type ProxyQuery = string | Record<string, string | string[]> | URLSearchParams

/**
 * RFC 3986 §3.4 `query` (`%` included: checkQueryString makes sure each starts an escape) minus
 * `'`, which the WHATWG parser encodes in special URLs' queries, so it leaves our URL unchanged.
 */
const QUERY_SAFE = asciiTable('-._~!$&()*+,;=:@/?%')
/** The `application/x-www-form-urlencoded` byte set of the WHATWG URL standard. */
const FORM_SAFE = asciiTable('*-._')

const dryRunError = (): ProxyUrlError =>
  new ProxyUrlError(
    'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED',
    'query parameter "dryRun" is not supported on proxy requests: the apiserver answers 400 Bad Request for it on connect subresources (apiserver endpoints/handlers/rest.go ConnectResource)',
  )

function formEncode(text: string): string {
  const encoded = percentEncode(text, FORM_SAFE, 'query')
  return encoded === text ? text : encoded.replaceAll('%20', '+')
}

/** True when Go's `url.ParseQuery` would find a `dryRun` key in `query`. */
function hasDryRunKey(query: string): boolean {
  if (!query.includes('dryRun') && !query.includes('%')) return false
  for (const part of query.split('&')) {
    if (part.includes(';')) continue
    const equals = part.indexOf('=')
    const key = equals === -1 ? part : part.slice(0, equals)
    try {
      if (decodeURIComponent(key.replaceAll('+', ' ')) === 'dryRun') return true
    } catch {
      // Go skips keys it cannot unescape, so they cannot be dryRun either.
    }
  }
  return false
}

// The string is the raw query, everything after the first `?` of the URL, as Go's `url.Parse`
// keeps it in `RawQuery` and the apiserver's proxy handler forwards it: a `?` it starts with is
// data the backend receives, never a separator to strip (net/url `URL.setPath`/`RawQuery`,
// apimachinery `pkg/util/proxy/upgradeaware.go` copies `req.URL.RawQuery`).
function checkQueryString(text: string): string {
  if (text.includes('#')) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_QUERY_INVALID',
      'query contains "#", which would start a URL fragment; percent-encode it as %23',
    )
  }
  for (let index = text.indexOf('%'); index !== -1; index = text.indexOf('%', index + 1)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(index + 1, index + 3))) {
      throw new ProxyUrlError(
        'K8S_CODEGEN_PROXY_QUERY_INVALID',
        `query has a "%" at index ${index} that does not start a %XX escape; percent-encode it as %25`,
      )
    }
  }
  return percentEncode(text, QUERY_SAFE, 'query')
}

/**
 * The query string (without `?`, `''` when empty) that {@link buildProxyUrl} appends, after
 * checking it: no fragment, no stray `%`, string values only, no `dryRun`.
 */
export function serializeQuery(query: ProxyQuery): string {
  let text: string
  if (typeof query === 'string') {
    text = checkQueryString(query)
    if (hasDryRunKey(text)) throw dryRunError()
    return text
  }
  if (query instanceof URLSearchParams) {
    if (query.has('dryRun')) throw dryRunError()
    return query.toString()
  }
  if (typeof query !== 'object' || query === null) {
    throw new ProxyUrlError(
      'K8S_CODEGEN_PROXY_QUERY_INVALID',
      `query must be a string, a record of strings or string arrays, or URLSearchParams; got ${query === null ? 'null' : typeof query}`,
    )
  }
  text = ''
  // for…in with hasOwn is markedly faster than Object.keys here and skips the same inherited keys.
  for (const key in query) {
    if (!Object.hasOwn(query, key)) continue
    if (key === 'dryRun') throw dryRunError()
    const value: unknown = query[key]
    const name = formEncode(key)
    if (typeof value === 'string') {
      text += `${text === '' ? '' : '&'}${name}=${formEncode(value)}`
    } else if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (typeof item !== 'string') throw notAString(key)
        text += `${text === '' ? '' : '&'}${name}=${formEncode(item)}`
      }
    } else {
      throw notAString(key)
    }
  }
  return text
}

function notAString(key: string): ProxyUrlError {
  return new ProxyUrlError(
    'K8S_CODEGEN_PROXY_QUERY_INVALID',
    `query parameter ${quote(key)} must be a string or an array of strings`,
  )
}
