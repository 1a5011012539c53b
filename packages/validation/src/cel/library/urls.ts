// k8s.io/apiserver pkg/cel/library/urls.go (kubernetes.urls): `url`, `isURL` and the getters,
// on a model of Go's url.ParseRequestURI (net/url url.go parse with viaRequest, its escaping
// tables encoding_table.go), with Go's error text.
import { celError, celFunc, celMethod, CelScalar, listType, mapType } from '@bufbuild/cel'
import { celText, listOf, opaque, parses } from './_values.js'
import { parseAddr } from './netip.js'

/** The parts of a url.URL that ParseRequestURI fills (no fragment: a request URI has none). */
interface URL {
  readonly scheme: string
  readonly opaque: string
  readonly user: string | undefined
  readonly host: string
  readonly path: string
  readonly rawPath: string
  readonly rawQuery: string
  readonly forceQuery: boolean
  readonly omitHost: boolean
}

const unreserved = /[A-Za-z0-9\-._~]/
// encoding_table.go: the characters each mode leaves as they are, beyond the unreserved ones.
const kept = {
  path: '$&+,/:;=@',
  host: '!"$&\'()*+,:;<=>[]',
  userPassword: '$&+,;=',
  queryComponent: '',
} as const
type Mode = keyof typeof kept
const shouldEscape = (c: string, mode: Mode) => !unreserved.test(c) && !kept[mode].includes(c)

const quote = (s: string) => celText(s)
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c)

// url.go unescape: "invalid URL escape", "invalid character … in host name".
function unescape(s: string, mode: Mode): string {
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let i = 0; i < s.length;) {
    const c = s[i]!
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2]))
        throw new Error(`invalid URL escape ${quote(s.slice(i, i + 3))}`)
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== '%25')
        throw new Error(`invalid URL escape ${quote(s.slice(i, i + 3))}`)
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 3
      continue
    }
    if (mode === 'host' && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode))
      throw new Error(`invalid character ${quote(c)} in host name`)
    if (c === '+' && mode === 'queryComponent') bytes.push(0x20)
    else bytes.push(...encoder.encode(s.codePointAt(i)! > 0xffff ? s.slice(i, i + 2) : c))
    i += s.codePointAt(i)! > 0xffff ? 2 : 1
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

// url.go escape: every byte not kept as %XX.
function escape(s: string, mode: Mode): string {
  let out = ''
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b)
    out +=
      b < 0x80 && !shouldEscape(c, mode) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

// url.go validOptionalPort: "" or ":" and digits.
const validOptionalPort = (port: string) => port === '' || /^:\d*$/.test(port)

// url.go parseHost (urlstrictcolons: for http and https the first colon starts the port).
function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[')
  if (open > 0) throw new Error('invalid IP-literal')
  if (open === 0) {
    const close = host.lastIndexOf(']')
    if (close < 0) throw new Error("missing ']' in host")
    const colonPort = host.slice(close + 1)
    if (!validOptionalPort(colonPort))
      throw new Error(`invalid port ${quote(colonPort)} after host`)
    const hostname = host.slice(1, close)
    const zone = hostname.indexOf('%25')
    const unescaped =
      zone >= 0
        ? unescape(hostname.slice(0, zone), 'host') + unescape(hostname.slice(zone), 'host')
        : unescape(hostname, 'host')
    let addr
    try {
      addr = parseAddr(unescaped).addr
    } catch (error) {
      throw new Error(`invalid host: ${(error as Error).message}`)
    }
    if (addr.length === 4) throw new Error('invalid IP-literal')
    return `[${unescaped}]${colonPort}`
  }
  const first = host.indexOf(':')
  if (first !== -1) {
    const at = scheme === 'http' || scheme === 'https' ? first : host.lastIndexOf(':')
    const colonPort = host.slice(at)
    if (!validOptionalPort(colonPort))
      throw new Error(`invalid port ${quote(colonPort)} after host`)
  }
  return unescape(host, 'host')
}

const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s)

// url.go parse(rawURL, viaRequest = true).
function parseRequestURI(raw: string): URL {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL')
  if (raw === '') throw new Error('empty url')
  const url = {
    scheme: '',
    opaque: '',
    user: undefined as string | undefined,
    host: '',
    path: '',
    rawPath: '',
    rawQuery: '',
    forceQuery: false,
    omitHost: false,
  }
  if (raw === '*') return { ...url, path: '*' }
  let rest = raw
  const scheme = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw)
  if (raw.startsWith(':')) throw new Error('missing protocol scheme')
  if (scheme !== null) {
    url.scheme = scheme[0].slice(0, -1).toLowerCase()
    rest = raw.slice(scheme[0].length)
  }
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true
    rest = rest.slice(0, -1)
  } else {
    const q = rest.indexOf('?')
    if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)]
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest }
    throw new Error('invalid URI for request')
  }
  if (url.scheme !== '' && rest.startsWith('//')) {
    let authority = rest.slice(2)
    rest = ''
    const slash = authority.indexOf('/')
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)]
    const at = authority.lastIndexOf('@')
    url.host = parseHost(url.scheme, at < 0 ? authority : authority.slice(at + 1))
    if (at >= 0) {
      const userinfo = authority.slice(0, at)
      if (!validUserinfo(userinfo)) throw new Error('net/url: invalid userinfo')
      url.user = userinfo
        .split(':')
        .map((part) => unescape(part, 'userPassword'))
        .join(':')
    }
  } else if (url.scheme !== '') {
    url.omitHost = true
  }
  // url.go setPath: RawPath only when the text is not the default escaping of the path.
  url.path = unescape(rest, 'path')
  url.rawPath = escape(url.path, 'path') === rest ? '' : rest
  return url
}

// url.go validEncoded(s, encodePath).
const validEncoded = (s: string) =>
  [...s].every(
    (c) => "!$&'()*+,;=:@[]%".includes(c) || (c.charCodeAt(0) < 0x80 && !shouldEscape(c, 'path')),
  )

// url.go URL.EscapedPath.
function escapedPath(u: URL): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath)) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return u.rawPath
    } catch {
      // not a valid escaping of the path: escape it afresh
    }
  }
  return u.path === '*' ? '*' : escape(u.path, 'path')
}

// url.go splitHostPort, for Hostname and Port.
function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort
  let port = ''
  const colon = hostPort.lastIndexOf(':')
  if (colon !== -1 && validOptionalPort(hostPort.slice(colon)))
    [host, port] = [hostPort.slice(0, colon), hostPort.slice(colon + 1)]
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  return [host, port]
}

// url.go parseQuery: pairs split on '&'; a pair with ';' or a bad escape is dropped.
function query(u: URL): Map<string, string[]> {
  const m = new Map<string, string[]>()
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue
    const eq = pair.indexOf('=')
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]
    try {
      const key = unescape(k, 'queryComponent')
      const value = unescape(v, 'queryComponent')
      m.set(key, [...(m.get(key) ?? []), value])
    } catch {
      // url.ParseQuery skips it and reports the first error, which URL.Query ignores
    }
  }
  return m
}

// url.go URL.String, without fragment.
function urlString(u: URL): string {
  let out = u.scheme === '' ? '' : `${u.scheme}:`
  if (u.opaque !== '') out += u.opaque
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined))
        out += `//${u.user === undefined ? '' : `${u.user}@`}${u.host}`
    }
    out += escapedPath(u)
  }
  if (u.forceQuery || u.rawQuery !== '') out += `?${u.rawQuery}`
  return out
}

/** The CEL type `kubernetes.URL`; `==` compares the URL's text. */
export const urlType = opaque<URL>('kubernetes.URL', urlString, (u) => `url("${urlString(u)}")`)
const T = urlType.type
const { STRING, BOOL } = CelScalar
const get = (v: unknown): URL => urlType.unwrapOrThrow(v)

/** url.ParseRequestURI(s)'s error text, or undefined when s parses (for format.uri()). */
export function requestURIError(s: string): string | undefined {
  try {
    parseRequestURI(s)
    return undefined
  } catch (error) {
    // url.Error: `parse "<url>": <reason>`.
    return `parse ${quote(s)}: ${(error as Error).message}`
  }
}

function parseURL(s: string): URL {
  try {
    return parseRequestURI(s)
  } catch (error) {
    // url.Error: `parse "<url>": <reason>`.
    throw celError(
      `URL parse error during conversion from string: parse ${quote(s)}: ${(error as Error).message}`,
    )
  }
}

/**
 * `url`, `isURL`, and on a URL `getScheme`, `getHost`, `getHostname`, `getPort`,
 * `getEscapedPath`, `getQuery`.
 *
 * @example
 * run("url('https://example.com:80/').getPort()", {}, { funcs: urlFunctions }) // "80"
 */
export const urlFunctions = [
  celFunc('url', [STRING], T, (s) => urlType.wrap(parseURL(s))),
  celFunc('isURL', [STRING], BOOL, (s) => parses(() => parseRequestURI(s))),
  celMethod('getScheme', T, [], STRING, function () {
    return get(this).scheme
  }),
  celMethod('getHost', T, [], STRING, function () {
    return get(this).host
  }),
  celMethod('getHostname', T, [], STRING, function () {
    return splitHostPort(get(this).host)[0]
  }),
  celMethod('getPort', T, [], STRING, function () {
    return splitHostPort(get(this).host)[1]
  }),
  celMethod('getEscapedPath', T, [], STRING, function () {
    return escapedPath(get(this))
  }),
  celMethod('getQuery', T, [], mapType(STRING, listType(STRING)), function () {
    return new Map([...query(get(this))].map(([k, v]) => [k, listOf(v)]))
  }),
]
